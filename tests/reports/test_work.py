"""The borough lead's Today lines from the reports (issue 17): compliance sections that
nothing evidences yet this financial year, and the next statistics return."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from partnership.models import Board, Meeting, Plan, RiskAssessment
from reports.models import ComplianceEntry, ToolkitSection
from reports.periods import Period, statistics_return_next
from reports.work import borough_lead_work

pytestmark = pytest.mark.django_db


def _lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def _due_sections(client) -> list[str]:
    response = client.get(reverse("api:my-work"))
    assert response.status_code == 200
    return [
        item["url"].rsplit("#", 1)[1]
        for item in response.json()["items"]
        if item["kind"] == "compliance_section_due"
    ]


def _entry(world, lead, section, day):
    ComplianceEntry.objects.create(
        local_authority=world.la_a, section=section, date=day, title="Done", created_by=lead
    )


def test_each_section_nothing_evidences_this_year_is_due_until_something_does(client, world):
    lead = _lead(world)
    today = timezone.localdate()
    client.force_login(lead)
    assert _due_sections(client) == [
        ToolkitSection.PARTNERSHIP_GROUP,
        ToolkitSection.RISK_ASSESSMENT,
        ToolkitSection.PARTNERSHIP_PLAN,
        ToolkitSection.PERMISSIVE_ENVIRONMENTS,
        ToolkitSection.COMMUNICATIONS,
    ]
    page = client.get(reverse("home")).content.decode()
    assert "7. Reducing permissive environments: nothing recorded for 1 April" in page
    assert f'href="{reverse("reports:compliance")}#permissive_environments"' in page

    _entry(world, lead, ToolkitSection.PERMISSIVE_ENVIRONMENTS, today)
    last_year = datetime.date(today.year - 2, 6, 1)  # before this financial year, always
    _entry(world, lead, ToolkitSection.COMMUNICATIONS, last_year)
    board = Board.objects.create(name="Prevent board", created_by=lead)
    board.local_authorities.add(world.la_a)
    Meeting.objects.create(board=board, date=today, location="Town Hall", held_at=timezone.now())
    RiskAssessment.objects.create(
        local_authority=world.la_a,
        version=1,
        assessed_on=today,
        review_by=today + datetime.timedelta(days=300),
        summary="CTLP",
        created_by=lead,
    )
    assert _due_sections(client) == [
        ToolkitSection.PARTNERSHIP_PLAN,
        ToolkitSection.COMMUNICATIONS,
    ]
    Plan.objects.create(
        local_authority=world.la_a,
        title="Plan",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
        created_by=lead,
    )
    _entry(world, lead, ToolkitSection.COMMUNICATIONS, today)
    assert _due_sections(client) == []


def test_a_risk_assessment_past_its_review_does_not_evidence_the_section(world):
    lead = _lead(world)
    today = timezone.localdate()
    RiskAssessment.objects.create(
        local_authority=world.la_a,
        version=1,
        assessed_on=today - datetime.timedelta(days=400),
        review_by=today - datetime.timedelta(days=1),
        summary="CTLP",
        created_by=lead,
    )
    kinds = {(item.kind, item.url.rsplit("#")[-1]) for item in borough_lead_work(lead, today)}
    assert ("compliance_section_due", ToolkitSection.RISK_ASSESSMENT) in kinds


def test_sections_due_are_due_soon_in_the_last_quarter_of_the_year(world):
    lead = _lead(world)
    autumn = borough_lead_work(lead, datetime.date(2026, 10, 1))
    winter = borough_lead_work(lead, datetime.date(2027, 2, 1))
    assert {item.urgency for item in autumn if item.kind == "compliance_section_due"} == {50}
    assert {item.urgency for item in winter if item.kind == "compliance_section_due"} == {20}
    assert {item.due for item in winter if item.kind == "compliance_section_due"} == {
        datetime.date(2027, 3, 31)
    }


@pytest.mark.parametrize(
    ("day", "year_start", "due"),
    [
        ("2026-12-07", "2026-04-01", "2027-04-30"),
        ("2027-03-31", "2026-04-01", "2027-04-30"),
        ("2027-04-01", "2026-04-01", "2027-04-30"),  # the year has ended: its return is next
        ("2027-04-30", "2026-04-01", "2027-04-30"),
        ("2027-05-01", "2027-04-01", "2028-04-30"),
    ],
)
def test_the_next_statistics_return_is_last_years_until_its_due_date(day, year_start, due):
    start = datetime.date.fromisoformat(year_start)
    upcoming = statistics_return_next(datetime.date.fromisoformat(day))
    assert upcoming.period == Period(start, datetime.date(start.year + 1, 3, 31))
    assert upcoming.due == datetime.date.fromisoformat(due)


def test_the_statistics_return_line_links_to_its_years_statistics(client, world):
    lead = _lead(world)
    client.force_login(lead)
    today = timezone.localdate()
    upcoming = statistics_return_next(today)
    (line,) = [
        item
        for item in client.get(reverse("api:my-work")).json()["items"]
        if item["kind"] == "statistics_return"
    ]
    assert line["due"] == upcoming.due.isoformat()
    assert line["label"] == (
        f"Statistics return for {upcoming.period.start:%-d %B %Y} to "
        f"{upcoming.period.end:%-d %B %Y}: due by {upcoming.due:%-d %B %Y}"
    )
    assert line["url"].endswith(
        f"{reverse('reports:statistics')}?from={upcoming.period.start.isoformat()}"
        f"&to={upcoming.period.end.isoformat()}"
    )
    page = client.get(line["url"])
    assert page.status_code == 200
    assert page.context["period"] == upcoming.period
    in_april = borough_lead_work(lead, datetime.date(2027, 4, 10))
    (april,) = [item for item in in_april if item.kind == "statistics_return"]
    assert april.urgency == 20  # the year has ended: the return is due within the month
    assert april.due == datetime.date(2027, 4, 30)
