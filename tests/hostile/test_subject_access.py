"""Subject access export: everything about one person, third parties marked, audited."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from prevent_cms.models import AuditEvent
from referrals.subject_access import subject_access_export
from tests.channel import factories as cf
from tests.helpers import date_boxes
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


def test_json_export_holds_every_case_of_the_person_with_third_parties_marked(world):
    team = cf.channel_team(world)
    first = cf.support(world, team)
    cf.intervention(team, first)
    person = first.subject
    same = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
    }
    second = rf.channel_panel(world, officer=team.officer, subject=same)
    elsewhere = rf.submitted(world, referrer=rf.referrer_for(world, world.school_c), subject=same)
    someone_else = rf.channel_panel(world, officer=team.officer)

    body, content_type, count = subject_access_export(
        actor=team.officer,
        first_name=person.first_name.upper(),
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        fmt="json",
        reason="SAR-2026-014",
    )
    assert content_type == "application/json"
    data = json.loads(body)
    references = {case["reference"] for case in data["cases"]}
    assert references == {first.reference, second.reference}
    assert elsewhere.reference not in references
    assert someone_else.reference not in references
    assert count == 2
    case = next(c for c in data["cases"] if c["reference"] == first.reference)
    assert case["subject"]["last_name"] == person.last_name
    assert case["referrer"]["redact"] is True
    assert case["referral"]["referrer_phone"]["redact"] is True
    assert all(step["by"]["redact"] for step in case["history"])
    assert "Consents" in case["records"]
    consent = case["records"]["Consents"][0]
    assert consent["recorded_by"]["redact"] is True
    # Moments one way (docs/frontend.md): UTC to the second, never microseconds.
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", data["generated_at"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", case["history"][0]["at"])
    assert not re.search(r"T\d{2}:\d{2}:\d{2}\.\d", body.decode())
    events = AuditEvent.objects.filter(action="referral.subject_access_export")
    assert {e.object_id for e in events} == {str(first.pk), str(second.pk)}
    assert {e.reason for e in events} == {"SAR-2026-014"}


def test_pdf_export_from_the_page(world, client):
    team = cf.channel_team(world)
    referral = cf.channel_panel(world, team)
    person = referral.subject
    client.force_login(team.chair)
    url = reverse("referrals:subject_access")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            **date_boxes("date_of_birth", person.date_of_birth),
            "reason": "SAR-1",
            "format": "pdf",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="referral.subject_access_export", object_id=str(referral.pk)
    ).exists()


def test_people_without_full_access_cannot_export(world, client):
    client.force_login(rf.referrer_for(world))
    assert client.get(reverse("referrals:subject_access")).status_code == 403


def test_the_pdf_reads_as_words_with_third_parties_marked(world, client):
    """Issue 19: dates as "3 December 2026, 14:05", labels not codes, no ids or Python
    literals; whatever names someone else is marked to redact."""
    import io
    import re

    from pypdf import PdfReader

    team = cf.channel_team(world)
    referral = cf.channel_panel(world, team)
    person = referral.subject
    client.force_login(team.chair)
    response = client.post(
        reverse("referrals:subject_access"),
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            **date_boxes("date_of_birth", person.date_of_birth),
            "reason": "SAR-1",
            "format": "pdf",
        },
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d", text)
    assert not re.search(r"[\[{]'|'[\]}]|\bNone\b|\bTrue\b|\bFalse\b", text)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}", text)
    assert "Redact: staff member" in text
    assert referral.get_state_display() in text


def test_a_welsh_speaking_chair_gets_the_pdf_in_welsh(world, client, tmp_path):
    """Issue 19: headings, the redaction marks and the dates in the asker's language."""
    import subprocess

    from django.utils import timezone, translation
    from django.utils.formats import date_format

    team = cf.channel_team(world)
    team.chair.language = "cy"
    team.chair.save(update_fields=["language"])
    referral = cf.channel_panel(world, team)
    person = referral.subject
    client.force_login(team.chair)
    response = client.post(
        reverse("referrals:subject_access"),
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            **date_boxes("date_of_birth", person.date_of_birth),
            "reason": "SAR-1",
            "format": "pdf",
        },
    )
    path = tmp_path / "sar.pdf"
    path.write_bytes(response.content)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )
    with translation.override("cy"):
        today = date_format(timezone.localdate(), "j F Y")
        stage = str(referral.get_state_display())
    for words in ("Allforio mynediad at ddata gwrthrych", "SWYDDOGOL-SENSITIF", "Golygu:", today):
        assert words in text, words
    assert stage in text
    for words in ("Subject access export", "OFFICIAL-SENSITIVE", "Redact:"):
        assert words not in text, words
