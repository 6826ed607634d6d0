"""Role × page × expected status for the referral pages (DESIGN.md §3, STYLE.md §5).

Out of scope answers 404 (never 403); a visible case with a forbidden page answers 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from referrals import services
from tests.referrals import factories as f

# role key: (roles, agency attribute of the world)
PEOPLE = {
    "referrer": None,  # the referrer who made the case
    "agency_lead": ([Role.AGENCY_LEAD], "school_a"),
    "prevent_officer": ([Role.PREVENT_OFFICER], "police_a"),
    "channel_chair": ([Role.CHANNEL_CHAIR], "council_a"),
    "panel_member": ([Role.PANEL_MEMBER], "council_a"),
    "intervention_provider": ([Role.INTERVENTION_PROVIDER], "community_a"),
    "borough_lead": ([Role.BOROUGH_LEAD], "council_a"),
    "system_admin": ([Role.SYSTEM_ADMIN], "council_a"),
    "referrer_other_la": ([Role.REFERRER], "school_b"),
    "agency_lead_other_la": ([Role.AGENCY_LEAD], "school_b"),
    "chair_other_la": ([Role.CHANNEL_CHAIR], "council_b"),
    "officer_other_force": ([Role.PREVENT_OFFICER], "police_c"),
    "prevent_lead": ([Role.PREVENT_LEAD], "council_a"),
    "prevent_lead_other_la": ([Role.PREVENT_LEAD], "council_b"),
}

# role: (my referrals list, queue, case page, attachment download)
EXPECTED = {
    "referrer": (200, 403, 200, 403),
    "agency_lead": (200, 403, 200, 403),
    "prevent_officer": (403, 200, 200, 200),
    "channel_chair": (403, 403, 404, 404),
    "panel_member": (403, 403, 404, 404),
    "intervention_provider": (403, 403, 404, 404),
    "borough_lead": (403, 403, 404, 404),
    "system_admin": (403, 403, 404, 404),
    "referrer_other_la": (200, 403, 404, 404),
    "agency_lead_other_la": (200, 403, 404, 404),
    "chair_other_la": (403, 403, 404, 404),
    "officer_other_force": (403, 200, 404, 404),
    # Issue 15: their authority's cases, coarsely (no files), until Channel.
    "prevent_lead": (200, 403, 200, 403),
    "prevent_lead_other_la": (200, 403, 404, 404),
}


@pytest.fixture
def case(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    attachment = services.attachment_add(
        referral_id=referral.pk,
        actor=officer,
        upload=SimpleUploadedFile("evidence.txt", b"Screenshots described."),
    )
    return referral, attachment


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_table(world, client, case, role):
    referral, attachment = case
    if PEOPLE[role] is None:
        user = referral.referrer
    else:
        roles, agency = PEOPLE[role]
        user = world.user(*roles, agency=getattr(world, agency))
    client.force_login(user)
    list_status, queue_status, detail_status, file_status = EXPECTED[role]

    response = client.get(reverse("referrals:mine"))
    assert response.status_code == list_status
    if detail_status == 404:
        assert referral.reference.encode() not in response.content

    response = client.get(reverse("referrals:queue"))
    assert response.status_code == queue_status
    if detail_status == 404:
        assert referral.reference.encode() not in response.content

    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == detail_status
    if detail_status == 200 and role != "prevent_officer":
        assert b"Low-level but persistent" not in response.content  # police assessment

    response = client.get(
        reverse("referrals:attachment_download", args=[referral.pk, attachment.pk])
    )
    assert response.status_code == file_status

    for name in ("assessment", "decide"):
        args = [referral.pk] if name == "assessment" else [referral.pk, "close"]
        response = client.get(reverse(f"referrals:{name}", args=args))
        expected = {200: 200, 404: 404}.get(detail_status)
        if role in ("referrer", "agency_lead", "prevent_lead"):  # coarse readers
            expected = 403
        assert response.status_code == expected, name
