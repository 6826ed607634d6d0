"""The consultation pages: list (by outcome), record, view, change, link to a referral."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from consultations.models import Consultation
from prevent_cms.models import AuditEvent
from tests.referrals import factories as rf

from .factories import consultation

pytestmark = pytest.mark.django_db


def _form(world, **overrides) -> dict:
    day = timezone.localdate() - datetime.timedelta(days=2)
    data = {
        "local_authority": str(world.la_a.pk),
        "consulted_on_0": str(day.day),
        "consulted_on_1": str(day.month),
        "consulted_on_2": str(day.year),
        "asker_name": "Pat Jones",
        "asker_organisation": "Northbridge Academy",
        "asker_sector": "education",
        "subject_initials": "ab",
        "subject_age_band": "11_to_15",
        "summary": "Worrying drawings in an exercise book.",
        "advice": "Speak to the DSL; refer if it continues.",
        "outcome": "referral_advised",
        "referred_to": "",
    }
    return {**data, **overrides}


def test_an_officer_records_a_consultation(world, client):
    officer = rf.officer_for(world)
    client.force_login(officer)
    assert client.get(reverse("consultations:new")).status_code == 200
    response = client.post(reverse("consultations:new"), _form(world))
    made = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:detail", args=[made.pk])
    assert made.subject_initials == "AB"
    page = client.get(reverse("consultations:detail", args=[made.pk]))
    assert b"Pat Jones" in page.content
    assert AuditEvent.objects.filter(action="consultation.viewed", actor=officer).count() == 1


def test_a_form_error_is_shown_on_its_field_and_nothing_saved(world, client):
    client.force_login(rf.officer_for(world))
    response = client.post(reverse("consultations:new"), _form(world, outcome="referred_elsewhere"))
    assert response.status_code == 200
    assert "Select where the concern was referred" in response.content.decode()
    assert 'href="#id_referred_to"' in response.content.decode()
    assert not Consultation.objects.exists()


def test_the_list_filters_by_outcome_and_is_audited(world, client):
    officer = rf.officer_for(world)
    consultation(officer, asker_name="Qxadvised")
    consultation(officer, asker_name="Qxnone", outcome="no_referral_needed")
    client.force_login(officer)
    page = client.get(reverse("consultations:list"), {"outcome": "no_referral_needed"})
    body = page.content.decode()
    assert "Qxnone" in body
    assert "Qxadvised" not in body
    all_rows = client.get(reverse("consultations:list")).content.decode()
    assert "Qxnone" in all_rows
    assert "Qxadvised" in all_rows
    assert AuditEvent.objects.filter(action="consultation.list_viewed").count() == 2


def test_the_list_pages(world, client):
    officer = rf.officer_for(world)
    for n in range(26):
        consultation(officer, asker_name=f"Asker {n}")
    client.force_login(officer)
    first = client.get(reverse("consultations:list")).content.decode()
    assert "Page 1 of 2" in first
    assert client.get(reverse("consultations:list"), {"page": 2}).status_code == 200


def test_an_edit_changes_and_audits(world, client):
    officer = rf.officer_for(world)
    made = consultation(officer)
    client.force_login(officer)
    url = reverse("consultations:edit", args=[made.pk])
    assert client.get(url).status_code == 200
    data = _form(world, advice="Changed advice", version="1")
    data.pop("local_authority")
    response = client.post(url, data)
    assert response.status_code == 302
    assert Consultation.objects.get(pk=made.pk).advice == "Changed advice"
    assert AuditEvent.objects.filter(action="consultation.changed").exists()
    stale = client.post(url, {**data, "advice": "Too late"})
    assert stale.status_code == 200
    assert "Someone else changed this consultation" in stale.content.decode()
    assert Consultation.objects.get(pk=made.pk).advice == "Changed advice"


def test_link_by_reference(world, client):
    officer = rf.officer_for(world)
    made = consultation(officer)
    referral = rf.submitted(world)
    client.force_login(officer)
    url = reverse("consultations:link", args=[made.pk])
    wrong = client.post(url, {"referral": "PRV-2026-999999"})
    assert wrong.status_code == 200
    assert "Enter the reference of a referral you can see" in wrong.content.decode()
    response = client.post(url, {"referral": referral.reference})
    assert response.status_code == 302
    assert Consultation.objects.get(pk=made.pk).referral == referral
    detail = client.get(reverse("consultations:detail", args=[made.pk])).content.decode()
    assert referral.reference in detail


@pytest.mark.parametrize("role", [Role.REFERRER, Role.CHANNEL_CHAIR, Role.BOROUGH_LEAD])
def test_other_roles_get_403_on_list_and_form_and_404_on_one(world, client, role):
    made = consultation(rf.officer_for(world))
    client.force_login(world.user(role))
    assert client.get(reverse("consultations:list")).status_code == 403
    assert client.get(reverse("consultations:new")).status_code == 403
    for name in ("detail", "edit", "link"):
        assert client.get(reverse(f"consultations:{name}", args=[made.pk])).status_code == 404


def test_officers_of_another_force_get_404(world, client):
    made = consultation(rf.officer_for(world))
    client.force_login(rf.officer_for(world, world.police_c))
    for name in ("detail", "edit", "link"):
        assert client.get(reverse(f"consultations:{name}", args=[made.pk])).status_code == 404


def test_the_navigation_shows_consultations_to_officers_only(world, client):
    client.force_login(rf.officer_for(world))
    assert reverse("consultations:list") in client.get("/").content.decode()
    client.force_login(rf.referrer_for(world))
    assert reverse("consultations:list") not in client.get("/").content.decode()


@pytest.mark.parametrize("name", ["new", "edit", "link"])
def test_each_error_summary_link_moves_to_the_first_input_of_its_field(world, client, name):
    """STYLE.md: the first radio, the day box — every link of the summary names an input."""
    officer = rf.officer_for(world)
    made = consultation(officer)
    client.force_login(officer)
    url = reverse(f"consultations:{name}", args=[] if name == "new" else [made.pk])
    blank = {"consulted_on_0": "", "version": "1"} if name == "edit" else {}
    html = client.post(url, blank).content.decode()
    summary = html[
        html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))
    ]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    for target in targets:
        element = re.search(rf'<(input|select|textarea)[^>]*\bid="{re.escape(target)}"', html)
        assert element, f"{name}: #{target} is not an input"
    if name == "new":
        assert "id_consulted_on_0" in targets  # the day box
        assert {"id_local_authority_1", "id_asker_sector_1", "id_outcome_1"} <= set(targets)
