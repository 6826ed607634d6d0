"""A borough lead cannot isolate one referral: suppression always on, periods of a month or more.

Referral 3 of the fixture is the only one submitted on 10 September 2024, and the police
closed it: a one-day period would show its police outcome as a count of one.
"""

import io
import re

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Role
from referrals.models import Referral
from reports.periods import PeriodError, is_at_least_a_month, period_from_params
from tests.referrals import factories as rf

from .conftest import FY_2024

URL = "/api/v1/reports/statistics/"
PAGE = "/reports/"
ONE_DAY = {"from": "2024-09-10", "to": "2024-09-10"}
MESSAGE = "Choose a period of at least one calendar month"


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


@pytest.fixture
def officer(world):
    return world.user(Role.PREVENT_OFFICER, agency=world.police_a)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_refuses_a_borough_lead_a_one_day_period(stats_world, lead):
    response = api(lead).get(URL, ONE_DAY)
    assert response.status_code == 400
    assert MESSAGE in response.json()["detail"]


def test_api_keeps_the_exact_one_day_count_for_a_prevent_officer(stats_world, officer):
    body = api(officer).get(URL, {**ONE_DAY, "local_authority": stats_world.world.la_a.pk}).json()
    assert body["suppressed"] is False
    assert body["outcomes"]["police_led"] + body["outcomes"]["no_further_action"] == 1


@pytest.mark.parametrize("asked", [{}, {"suppressed": "false"}, {"suppressed": "0"}])
def test_api_always_suppresses_for_a_borough_lead(stats_world, lead, asked):
    body = api(lead).get(URL, {"from": FY_2024[0], "to": FY_2024[1], **asked}).json()
    assert body["suppressed"] is True
    assert body["by_gender"]["female"] is None  # two in the fixture


def test_page_refuses_a_one_day_period_with_a_govuk_error(stats_world, lead, client):
    client.force_login(lead)
    response = client.get(PAGE, ONE_DAY)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert MESSAGE in html
    # The figures shown instead are the financial year's, suppressed.
    assert response.context["shared"] is True
    assert (response.context["period"].end - response.context["period"].start).days > 300


def test_page_is_suppressed_for_a_borough_lead_without_asking(stats_world, lead, client):
    client.force_login(lead)
    response = client.get(PAGE, {"from": FY_2024[0], "to": FY_2024[1]})
    assert response.status_code == 200
    assert response.context["shared"] is True
    html = response.content.decode()
    assert "Exact counts" not in html
    assert 'name="shared"' not in html  # no switch to turn it off


def test_page_keeps_exact_counts_and_the_switch_for_a_prevent_officer(stats_world, officer, client):
    client.force_login(officer)
    response = client.get(PAGE, {**ONE_DAY, "local_authority": stats_world.world.la_a.pk})
    assert response.status_code == 200
    assert response.context["shared"] is False
    assert 'name="shared"' in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_refuse_a_borough_lead_a_one_day_period(stats_world, lead, client, fmt):
    client.force_login(lead)
    page = client.get(PAGE, {**ONE_DAY, "format": fmt})
    assert page.status_code == 400
    assert MESSAGE in page.content.decode()
    response = api(lead).get(URL, {**ONE_DAY, "format": fmt})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_downloads_are_suppressed_for_a_borough_lead(stats_world, lead, client):
    client.force_login(lead)
    period = {"from": FY_2024[0], "to": FY_2024[1]}
    text = client.get(PAGE, {**period, "format": "csv"}).content.decode("utf-8-sig")
    assert "Referrals by gender,Female,female,[c]" in text
    content = api(lead).get(URL, {**period, "suppressed": "false", "format": "xlsx"}).content
    rows = [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    female = next(row for row in rows if row[:3] == ["Referrals by gender", "Female", "female"])
    assert female[3] == "[c]"


def test_compliance_export_refuses_a_borough_lead_a_short_period(world, lead):
    response = api(lead).post(
        "/api/v1/reports/exports/",
        {"format": "csv", "from": "2024-09-01", "to": "2024-09-10"},
        format="json",
    )
    assert response.status_code == 400
    assert MESSAGE in response.json()["detail"]


@pytest.mark.parametrize(
    ("start", "end", "month"),
    [
        ("2024-02-01", "2024-02-29", True),  # a calendar month (leap year)
        ("2025-02-01", "2025-02-28", True),
        ("2024-01-15", "2024-02-14", True),
        ("2024-01-31", "2024-02-29", True),
        ("2024-02-01", "2024-02-28", False),  # a day short in a leap year
        ("2024-01-15", "2024-02-13", False),
        ("2024-09-10", "2024-09-10", False),
    ],
)
def test_a_calendar_month_is_the_shortest_restricted_period(start, end, month):
    assert is_at_least_a_month(period_from_params(start, end)) is month
    if month:
        period_from_params(start, end, at_least_a_month=True)
    else:
        with pytest.raises(PeriodError, match=MESSAGE):
            period_from_params(start, end, at_least_a_month=True)


def test_compliance_page_suppresses_small_case_counts(stats_world, lead, client):
    """The compliance page must not give back what the statistics hide: today's open
    caseload of three shows as [c], as in the exported report."""
    Referral.objects.filter(pk__in=[stats_world.referrals[k].pk for k in (7, 10, 12)]).update(
        state="support", adopted_at=stats_world.referrals[7].submitted_at
    )
    client.force_login(lead)
    page = client.get("/reports/compliance/").content.decode()
    assert re.search(
        r"Channel cases open today</dt>\s*<dd class=\"govuk-summary-list__value\">\[c\]</dd>",
        page,
    )


def test_home_panel_suppresses_a_small_referral_count(world, lead, client):
    rf.submitted(world, referrer=rf.referrer_for(world, agency=world.school_a))
    client.force_login(lead)
    page = client.get("/").content.decode()
    assert "1 to 4 referrals received from" in page
    assert "1 referral received" not in page
