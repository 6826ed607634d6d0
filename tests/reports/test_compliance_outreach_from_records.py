"""The compliance report's sections 6–8 computed from the partnership records (issue 21):
workshops and briefings (training), organisations supported and due diligence done
(reducing permissive environments), community projects (communications and engagement).
A table of records and the figures each must give, on the page and in the export alike,
with the free-text entries kept beside the figures."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from partnership.models import (
    DueDiligenceCheck,
    GapAnalysis,
    Organisation,
    PolicyItem,
    Project,
    Support,
    Workshop,
)
from reports.compliance import compliance_report, report_rows
from reports.models import ComplianceEntry
from reports.periods import financial_year_containing

ALL_MET = dict.fromkeys(PolicyItem.values, "met")


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def _records(world, lead):
    """Northbridge's records made straight in the database (the services are tested in
    tests/partnership), with Southmere's beside them that must not count."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    before = financial_year_containing(today).start - day  # outside the period

    def organisation(name, kind, engaged_on, la=world.la_a):
        return Organisation.objects.create(
            local_authority=la,
            name=name,
            organisation_type=kind,
            engaged_on=engaged_on,
            created_by=lead,
        )

    trust = organisation("Youth Trust", "charity", today)
    mosque = organisation("Mosque", "faith", before)
    group = organisation("Community group", "voluntary", today)
    theirs = organisation("Southmere Trust", "charity", today, la=world.la_b)

    def analysis(org, on, items):
        GapAnalysis.objects.create(organisation=org, assessed_on=on, items=items, created_by=lead)

    analysis(trust, before, ALL_MET)
    analysis(trust, today, {**ALL_MET, "online_safety": "partly", "whistleblowing": "not_met"})
    analysis(mosque, before, ALL_MET)
    analysis(theirs, today, dict.fromkeys(PolicyItem.values, "not_met"))

    for org, on in ((trust, today), (trust, today), (trust, before), (mosque, today)):
        Support.objects.create(organisation=org, date=on, description="Advice", created_by=lead)
    Support.objects.create(organisation=theirs, date=today, description="B", created_by=lead)

    def check(org, route, outcome, on=today):
        DueDiligenceCheck.objects.create(
            organisation=org,
            route=route,
            checked_on=on,
            checks=["registration"],
            outcome=outcome,
            checked_by="Grants officer",
            created_by=lead,
        )

    check(mosque, "grant", "passed")
    check(mosque, "commissioning", "conditions")
    check(trust, "grant", "failed", on=before)
    check(theirs, "grant", "failed")

    def project(org, amount, source, starts_on, ends_on=None):
        Project.objects.create(
            organisation=org,
            title="Project",
            funding_amount=Decimal(amount),
            funding_source=source,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=lead,
        )

    project(trust, "1000.50", "Prevent grant", today)
    project(group, "500", "Council fund", before - 30 * day, ends_on=before)
    project(group, "2000", "Prevent grant", before, ends_on=today + 30 * day)
    project(theirs, "9999", "Prevent grant", today)

    def workshop(kind, attendance, on=today, la=world.la_a):
        Workshop.objects.create(
            local_authority=la,
            date=on,
            title="WRAP",
            session_type=kind,
            audience="Schools",
            attendance=attendance,
            created_by=lead,
        )

    workshop("workshop", 20)
    workshop("workshop", 50, on=before)
    workshop("briefing", 7)
    workshop("briefing", 3)
    workshop("workshop", 99, la=world.la_b)

    for section, title in (
        ("permissive_environments", "Venue-hire commentary kept"),
        ("communications", "Engagement commentary kept"),
        ("training", "Training commentary kept"),
    ):
        ComplianceEntry.objects.create(
            local_authority=world.la_a, section=section, date=today, title=title, created_by=lead
        )


EXPECTED = [
    ("training", "Workshops held in the period", "1"),
    ("training", "Attendance at workshops", "20"),
    ("training", "Briefings held in the period", "2"),
    ("training", "Attendance at briefings", "10"),
    ("permissive_environments", "Organisations on the register", "3"),
    ("permissive_environments", "Organisations first engaged in the period", "2"),
    ("permissive_environments", "Organisations given support in the period", "2"),
    ("permissive_environments", "Support given in the period (entries)", "3"),
    ("permissive_environments", "Safeguarding-policy gap analyses in the period", "1"),
    ("permissive_environments", "Organisations with a gap analysis", "2"),
    (
        "permissive_environments",
        "Organisations whose latest gap analysis has items not fully met",
        "1",
    ),
    ("permissive_environments", "Latest gap analysis, not fully met: Safeguarding policy", "0"),
    ("permissive_environments", "Latest gap analysis, not fully met: Online safety", "1"),
    (
        "permissive_environments",
        "Latest gap analysis, not fully met: Whistleblowing procedure",
        "1",
    ),
    ("permissive_environments", "Due-diligence checks in the period", "2"),
    ("permissive_environments", "Due-diligence checks in the period: Grant", "1"),
    (
        "permissive_environments",
        "Due-diligence checks in the period: Commissioning or procurement",
        "1",
    ),
    ("permissive_environments", "Due-diligence outcome: Passed", "1"),
    ("permissive_environments", "Due-diligence outcome: Passed with conditions", "1"),
    ("permissive_environments", "Due-diligence outcome: Not passed", "0"),
    (
        "permissive_environments",
        "Organisations funded for a project with no due diligence recorded",
        "1",
    ),
    ("communications", "Community projects running in the period", "2"),
    ("communications", "Community projects started in the period", "1"),
    ("communications", "Organisations delivering them", "2"),
    ("communications", "Funding of the projects running in the period", "£3,000.50"),
    ("communications", "Funding from: Prevent grant", "£3,000.50 (2)"),
]


def _report(world, lead):
    period = financial_year_containing(timezone.localdate())
    return compliance_report(user=lead, local_authority=world.la_a, period=period)


@pytest.mark.parametrize(("section", "label", "value"), EXPECTED, ids=[e[1] for e in EXPECTED])
def test_the_report_figures_match_the_records(world, lead, section, label, value):
    _records(world, lead)
    figures = {s["code"]: dict(s["figures"]) for s in _report(world, lead)["sections"]}
    assert figures[section][label] == value


def test_a_funding_source_with_no_project_running_in_the_period_is_not_listed(world, lead):
    _records(world, lead)
    figures = {s["code"]: dict(s["figures"]) for s in _report(world, lead)["sections"]}
    assert "Funding from: Council fund" not in figures["communications"]


def test_the_commentary_is_kept_beside_the_figures_in_the_export(world, lead):
    _records(world, lead)
    rows = list(report_rows(_report(world, lead)))
    start = rows.index(["7. Reducing permissive environments"])
    section = rows[start : rows.index(["8. Communications and engagement"])]
    assert ["", "Organisations on the register", "3"] in section
    assert any(row[:2] == ["", "Entry"] and "Venue-hire commentary kept" in row for row in section)


def test_the_page_shows_the_same_figures_with_the_commentary_beside_them(world, lead, client):
    _records(world, lead)
    client.force_login(lead)
    page = client.get("/reports/compliance/").content.decode()
    for _section, label, _value in EXPECTED:
        assert label in page, label
    assert "£3,000.50" in page
    for title in ("Venue-hire", "Engagement", "Training"):
        assert f"{title} commentary kept" in page
