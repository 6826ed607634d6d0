"""Statistics count how referrals arrived and the sector of a referrer recorded on their
behalf (issue 15), with the same small-number suppression as every table."""

import datetime

import pytest

from accounts.models import Role
from referrals.models import Referral
from reports import selectors
from reports.compliance import compliance_report
from reports.periods import Period
from reports.suppression import SUPPRESSED_MARK, suppress_statistics
from tests.referrals import factories as rf

PERIOD = Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
SUBMITTED = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def routes_world(world):
    """In Northbridge: 8 online referrals from a school, 5 phoned in by family, 2 e-mailed by
    members of the public and 3 national forms from a health practitioner."""
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    school = rf.referrer_for(world)

    def made(count, **fields):
        for _n in range(count):
            referral = rf.SubmittedFactory(referrer=fields.pop("referrer", school), **fields)
            Referral.objects.filter(pk=referral.pk).update(submitted_at=SUBMITTED)

    made(8)
    behalf = {"referrer": officer, "referrer_agency": world.police_a}
    made(5, received_via="phone", contact_sector="friends_and_family", **dict(behalf))
    made(2, received_via="email", contact_sector="member_of_public", **dict(behalf))
    made(3, received_via="national_form", contact_sector="health", **dict(behalf))
    return world


def _stats(world):
    return selectors.statistics_counts_for(period=PERIOD, local_authority=world.la_a)


def test_route_table_counts_each_route(routes_world):
    stats = _stats(routes_world)
    assert stats["total_referrals"] == 18
    assert stats["by_route"] == {
        "online": 8,
        "phone": 5,
        "email": 2,
        "national_form": 3,
        "letter": 0,
        "in_person": 0,
        "consultation": 0,
    }
    assert sum(stats["by_route"].values()) == stats["total_referrals"]


def test_sector_is_the_contact_s_not_the_keying_officer_s(routes_world):
    by_sector = _stats(routes_world)["by_sector"]
    assert by_sector["education"] == 8
    assert by_sector["friends_and_family"] == 5
    assert by_sector["health"] == 3
    assert by_sector["other"] == 2  # members of the public: the Home Office's "other"
    assert by_sector["police"] == 0  # the officers who keyed them are not the referrers


def test_routes_are_suppressed_like_every_table(routes_world):
    shared = suppress_statistics(_stats(routes_world))
    routes = shared["by_route"]
    # 2 and 3 are small; together 5, two cells: enough cover, nothing else hidden.
    assert routes["email"] is None
    assert routes["national_form"] is None
    assert (routes["online"], routes["phone"], routes["letter"]) == (8, 5, 0)


def test_a_lone_small_route_takes_a_shown_cell_with_it(world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    for _n in range(9):
        referral = rf.SubmittedFactory(referrer=rf.referrer_for(world))
        Referral.objects.filter(pk=referral.pk).update(submitted_at=SUBMITTED)
    phoned = rf.SubmittedFactory(
        referrer=officer, received_via="phone", contact_sector="friends_and_family"
    )
    Referral.objects.filter(pk=phoned.pk).update(submitted_at=SUBMITTED)
    routes = suppress_statistics(_stats(world))["by_route"]
    # 1 phone referral alone would be given away by the total (10) minus online (9).
    assert routes["phone"] is None
    assert routes["online"] is None


def test_the_statistics_page_and_api_show_the_route_table(routes_world, client):
    lead = routes_world.user(Role.BOROUGH_LEAD, agency=routes_world.council_a)
    client.force_login(lead)
    params = {"from": "2025-04-01", "to": "2026-03-31"}
    data = client.get("/api/v1/reports/statistics/", params).json()
    assert data["by_route"]["online"] == 8
    assert data["by_route"]["email"] is None  # a borough lead's figures are suppressed


def test_the_compliance_report_counts_routes_suppressed(routes_world):
    lead = routes_world.user(Role.BOROUGH_LEAD, agency=routes_world.council_a)
    report = compliance_report(user=lead, local_authority=routes_world.la_a, period=PERIOD)
    pathway = next(s for s in report["sections"] if s["code"] == "referral_pathway")
    routes = next(t for t in pathway["tables"] if t["key"] == "by_route")
    shown = {row["code"]: row["shown"] for row in routes["rows"]}
    assert (shown["online"], shown["phone"]) == ("8", "5")
    assert shown["email"] == shown["national_form"] == SUPPRESSED_MARK
