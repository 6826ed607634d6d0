"""A job's page says which file it is, what it holds, until when it is kept, and leads back
(issue 19): a person who pressed "Download" or "Make the pack" is never left on a bare bar."""

from __future__ import annotations

import datetime
import html
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from channel.services.panels import panel_create
from prevent_cms import registry
from prevent_cms.models import Job
from tests.channel import factories as cf

pytestmark = pytest.mark.django_db


def test_every_kind_of_job_with_a_reader_has_a_page():
    assert registry.job_reader_kinds() - registry.job_page_kinds() == set()


def _page(client, job) -> str:
    response = client.get(reverse("job_status", args=[job.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("kind", "params", "title", "back"),
    [
        ("referrals.case_list_export", {}, "List of cases", "/referrals/queue/"),
        (
            "referrals.subject_access_export",
            {"format": "pdf", "referrals": ["a", "b"]},
            "Subject access export",
            "/referrals/subject-access/",
        ),
        ("reports.compliance_export", {}, "Compliance report", "/reports/compliance/"),
        ("audit_export", {}, "Audit trail of a record", "/audit/export/"),
        ("audit_export_user", {}, "Audit trail of a person", "/audit/export/"),
        ("training.import.check", {"batch": "IMPORT"}, "Checking a training import", None),
    ],
)
def test_a_waiting_job_page_names_the_file_its_contents_its_end_and_the_way_back(
    world, client, kind, params, title, back
):
    owner = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    batch = str(uuid.uuid4())
    params = {k: (batch if v == "IMPORT" else v) for k, v in params.items()}
    job = Job.objects.create(owner=owner, kind=kind, params=params, progress=40)
    client.force_login(owner)

    text = _page(client, job)

    page = registry.job_page(job)
    assert title in text
    assert page.contains in text
    assert "40% done" in text
    back = back or reverse("training:import_detail", args=[batch])
    assert f'<a href="{back}" class="govuk-back-link">' in text
    assert f'<a class="govuk-link" href="{back}">' in text  # and again below the file
    deleted = timezone.localtime(job.created_at + datetime.timedelta(days=7))
    assert "Kept until</dt>" in text
    assert deleted.strftime("%-d %B %Y, %H:%M") in text


def test_the_subject_access_page_counts_cases_and_never_names_the_person(world):
    owner = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    job = Job.objects.create(
        owner=owner,
        kind="referrals.subject_access_export",
        params={"format": "json", "referrals": [str(uuid.uuid4())]},
    )
    contains = registry.job_page(job).contains
    assert "in 1 case, as JSON" in contains


def test_the_pack_job_page_leads_to_its_panel_and_is_kept_as_long_as_the_pack(world, client):
    team = cf.channel_team(world)
    day = timezone.localdate() + datetime.timedelta(days=3)
    panel = panel_create(
        actor=team.chair, date=day, location="Town Hall", member_ids=[team.member.pk]
    )
    job = Job.objects.create(
        owner=team.chair, kind="channel.panel_pack", params={"panel": str(panel.pk)}
    )
    client.force_login(team.chair)

    text = _page(client, job)

    assert f"Panel pack for {day:%-d %B %Y}" in text
    assert f'<a href="{reverse("channel:panel", args=[panel.pk])}" class="govuk-back-link">' in text
    # Pack copies go 72 hours (PANEL_PACK_RETENTION) after the panel's day begins.
    assert f"{day + datetime.timedelta(days=3):%-d %B %Y}, 00:00" in text


def test_a_job_page_of_a_kind_without_a_page_still_shows_its_progress(world, client):
    owner = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    job = Job.objects.create(owner=owner, kind="unregistered.kind", progress=10)
    client.force_login(owner)
    text = _page(client, job)
    assert "10% done" in text
    assert "Kept until" not in text
