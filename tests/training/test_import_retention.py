"""Import previews hold names: the retention purge deletes them 24 hours after the upload
(issue 13). The counts stay; an unconfirmed import is cancelled saying why; an import's job
report is read under the import's rule, checked when read."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleGrant
from prevent_cms.purge import retention_purge
from tests.training.importing import csv_upload, uk
from training.dates import today
from training.imports.jobs import import_check_start
from training.imports.services import import_batch_check, import_batch_create
from training.models import ImportBatch, ImportRow

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(world):
    return world.user(Role.AGENCY_LEAD, agency=world.school_a)


def _checked(lead, name: str) -> ImportBatch:
    upload = csv_upload([[name, "ann@school.example", "awareness", uk(today())]])
    batch, sheet = import_batch_create(actor=lead, upload=upload)
    return import_batch_check(batch_id=batch.pk, sheet=sheet)


def test_previews_are_purged_after_24_hours_and_twice_is_idempotent(lead, awareness, client):
    old = _checked(lead, "Ann Oldfile")
    new = _checked(lead, "Bea Newfile")
    assert old.state == ImportBatch.State.READY
    old_file = old.file.name
    ImportBatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )

    counts = retention_purge()
    assert counts["import_previews"] == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.purged_at is not None
    assert not ImportRow.objects.filter(batch=old).exists()
    assert not ImportRow.objects.filter(person_name__contains="Oldfile").exists()
    assert not default_storage.exists(old_file)
    assert old.total_rows == 1  # the counts stay
    assert old.state == ImportBatch.State.CANCELLED
    assert new.purged_at is None
    assert ImportRow.objects.filter(batch=new).exists()
    assert default_storage.exists(new.file.name)

    assert retention_purge()["import_previews"] == 0

    client.force_login(lead)
    page = client.get(reverse("training:import_detail", args=[old.pk])).content.decode()
    assert "This check was deleted after 1 day" in page
    assert "Oldfile" not in page


def test_an_import_report_is_refused_once_the_lead_loses_the_role(
    lead, awareness, client, django_capture_on_commit_callbacks
):
    upload = csv_upload([["Cal Report", "cal@school.example", "awareness", uk(today())]])
    batch, _sheet = import_batch_create(actor=lead, upload=upload)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_check_start(actor=lead, batch_id=batch.pk, background=True)
    client.force_login(lead)
    url = reverse("job_download", args=[batch.job_id])
    assert client.get(url).status_code == 200
    RoleGrant.objects.filter(user=lead, role=Role.AGENCY_LEAD).delete()
    assert client.get(url).status_code == 410
