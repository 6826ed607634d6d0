"""The auditor names a case by its reference, and a wrong one is explained in words."""

from django.urls import reverse

from accounts.models import Role
from prevent_cms.models import Job
from tests.referrals import factories as f


def test_a_case_is_named_by_its_reference_and_a_wrong_one_in_words(world, client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    admin = world.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    case = f.submitted(world)
    url = reverse("audit_export")
    wrong = client.post(url, {"what": "case", "case_id": "PRV-1", "reason": "Complaint 42"})
    page = wrong.content.decode()
    assert "UUID" not in page
    assert "There is no case with that reference" in page
    client.post(url, {"what": "case", "case_id": case.reference, "reason": "Complaint 42"})
    assert Job.objects.filter(params__object_id=str(case.pk)).exists()
