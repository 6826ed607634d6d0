"""The statistics API and page: scope (403/404), bad input (400), and no identifiable data."""

import lxml.html
import pytest
from rest_framework.test import APIClient

from accounts.models import Role, Sector
from prevent_cms.models import AuditEvent
from referrals.models import Subject
from tests.helpers import assert_hidden, date_boxes

from .conftest import FY_2024
from .test_statistics import EXPECTED

URL = "/api/v1/reports/statistics/"
PAGE = "/reports/"
PERIOD = {"from": FY_2024[0], "to": FY_2024[1]}


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_returns_the_hand_counted_tables(stats_world):
    """Exact counts, for a Prevent officer (a borough lead only ever sees them suppressed)."""
    officer = stats_world.world.user(Role.PREVENT_OFFICER, agency=stats_world.world.police_a)
    response = api(officer).get(URL, {**PERIOD, "local_authority": stats_world.world.la_a.pk})
    assert response.status_code == 200
    body = response.json()
    for key, expected in EXPECTED.items():
        assert body[key] == expected, key
    assert AuditEvent.objects.filter(action="reports.statistics.viewed", actor=officer).exists()


def test_api_suppressed_hides_small_counts(stats_world, lead):
    body = api(lead).get(URL, {**PERIOD, "suppressed": "true"}).json()
    assert body["suppressed"] is True
    assert body["by_gender"]["female"] is None
    assert body["total_referrals"] == 13


def test_api_officer_may_choose_a_borough_of_their_force(stats_world):
    officer = stats_world.world.user(Role.PREVENT_OFFICER, agency=stats_world.world.police_a)
    body = api(officer).get(URL, {**PERIOD, "local_authority": stats_world.world.la_b.pk}).json()
    assert body["total_referrals"] == 1


def test_api_out_of_scope_authority_is_404(stats_world, lead):
    assert_hidden(api(lead).get(URL, {**PERIOD, "local_authority": stats_world.world.la_b.pk}))
    assert_hidden(api(lead).get(URL, {**PERIOD, "local_authority": "nonsense"}))


@pytest.mark.parametrize("role", [Role.REFERRER, Role.CHANNEL_CHAIR, Role.SYSTEM_ADMIN])
def test_api_other_roles_are_403(world, role):
    assert api(world.user(role)).get(URL).status_code == 403


def test_api_anonymous_is_401(db):
    assert APIClient().get(URL).status_code == 401


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-03-01", "2024-04-01", "before the end date"),
        ("1800-01-01", "1800-12-31", "2000"),
        ("2024-13-01", "2025-01-01", "YYYY-MM-DD"),
    ],
)
def test_api_bad_dates_are_400_with_a_message(lead, start, end, message):
    response = api(lead).get(URL, {"from": start, "to": end})
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_api_empty_period_is_an_empty_report(stats_world, lead):
    body = api(lead).get(URL, {"from": "2020-04-01", "to": "2021-03-31"}).json()
    assert body["total_referrals"] == 0
    assert set(body["outcomes"].values()) == {0}


def test_page_shows_tables_and_accessible_charts(stats_world, lead, client):
    client.force_login(lead)
    response = client.get(PAGE, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert '<title id="by_sector-title">' in html
    assert 'data-code="education"' in html


def test_page_bad_dates_explain_the_problem(lead, client):
    client.force_login(lead)
    response = client.get(PAGE, {"from": "2025-03-01", "to": "2024-04-01"})
    assert response.status_code == 400
    assert "The start date must be the same as or before the end date" in response.content.decode()


def _boxes(html: str, name: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    return [tree.get_element_by_id(f"id_{name}_{n}").get("value", "") for n in range(3)]


def test_page_period_is_asked_day_month_year_and_bookmarkable(lead, client):
    """Issue 19: the period is two GOV.UK date inputs in a GET form; the address they make
    gives the same page again, and a financial year typed as "1 4 2024" works."""
    client.force_login(lead)
    query = {**date_boxes("from", FY_2024[0]), **date_boxes("to", FY_2024[1])}
    response = client.get(PAGE, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Referrals received from 1 April 2024 to 31 March 2025" in html
    assert _boxes(html, "from") == ["1", "4", "2024"]
    assert _boxes(html, "to") == ["31", "3", "2025"]
    assert 'type="date"' not in html
    assert 'name="from"' not in html  # no ISO text box left
    title = lxml.html.fromstring(html).findtext(".//title")
    assert "filtered by From: 1 April 2024; To: 31 March 2025" in title
    assert "from 0" not in title


def test_page_reads_older_iso_addresses_into_the_boxes(lead, client):
    """Download links and bookmarks made before the date inputs still give their period."""
    client.force_login(lead)
    html = client.get(PAGE, PERIOD).content.decode()
    assert "Referrals received from 1 April 2024 to 31 March 2025" in html
    assert _boxes(html, "from") == ["1", "4", "2024"]


@pytest.mark.parametrize(
    ("query", "message", "anchor"),
    [
        (
            {**date_boxes("from", FY_2024[0]), "to_0": "31", "to_1": "", "to_2": "2025"},
            "The end date must include a month",
            "id_to_0",
        ),
        (
            {**date_boxes("from", FY_2024[0]), "to_0": "31", "to_1": "2", "to_2": "2025"},
            "The end date must be a real date",
            "id_to_0",
        ),
        (
            {**date_boxes("from", FY_2024[1]), **date_boxes("to", FY_2024[0])},
            "The start date must be the same as or before the end date",
            "id_from_0",
        ),
        (
            date_boxes("from", FY_2024[0]),
            "Enter both a start date and an end date, or neither",
            "id_from_0",
        ),
    ],
)
def test_page_period_errors_are_gov_uk_date_errors(lead, client, query, message, anchor):
    client.force_login(lead)
    response = client.get(PAGE, query)
    assert response.status_code == 400
    tree = lxml.html.fromstring(response.content.decode())
    links = tree.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a")
    assert [(a.get("href"), a.text_content().strip()) for a in links] == [(f"#{anchor}", message)]
    assert tree.get_element_by_id(anchor).tag == "input"


def test_page_out_of_scope_is_404_and_other_roles_403(stats_world, lead, client):
    client.force_login(lead)
    assert client.get(PAGE, {"local_authority": stats_world.world.la_b.pk}).status_code == 404
    client.force_login(stats_world.world.user(Role.REFERRER))
    assert client.get(PAGE).status_code == 403


def test_borough_lead_sees_no_identifiable_case_data(stats_world, lead, client):
    """Names, references, postcodes and dates of birth appear in no page or API answer."""
    # Distinctive names and postcodes, so a match cannot be an ordinary English word.
    for n, referral in enumerate(stats_world.referrals.values()):
        Subject.objects.filter(pk=referral.subject_id).update(
            first_name=f"Qzfirst{n}", last_name=f"Qzlast{n}", postcode=f"QZ{n} 9QZ"
        )
        referral.subject.refresh_from_db()
    client.force_login(lead)
    answers = [
        client.get(PAGE, PERIOD).content.decode(),
        client.get(PAGE, {**PERIOD, "shared": "1"}).content.decode(),
        api(lead).get(URL, PERIOD).content.decode(),
    ]
    for referral in stats_world.referrals.values():
        subject = referral.subject
        secrets = [
            referral.reference,
            subject.first_name,
            subject.last_name,
            subject.postcode,
            str(referral.pk),
        ]
        if subject.date_of_birth:
            secrets.append(subject.date_of_birth.isoformat())
        for answer in answers:
            for secret in secrets:
                assert secret not in answer
    # And the case pages and API stay closed to a borough lead.
    some = stats_world.referrals[10]
    assert_hidden(api(lead).get(f"/api/v1/referrals/{some.pk}/"))
    assert api(lead).get("/api/v1/referrals/").json().get("count", 0) == 0


def test_chart_labels_wrap_whole_in_the_app_font(stats_world, lead, client):
    """Issue 24: labels were cut at 26 characters and fell back to a serif font."""
    client.force_login(lead)
    tree = lxml.html.fromstring(client.get(PAGE, PERIOD).content)
    chart = tree.xpath("//svg[.//title[@id='by_sector-title']]")[0]
    labels = [" ".join(t.xpath(".//tspan/text()")) for t in chart.xpath(".//text[tspan]")]
    longest = max((str(label) for _code, label in Sector.choices), key=len)
    assert len(longest) > 26
    assert longest in labels
    assert all("…" not in label for label in labels)
    assert all("GDS Transport" in t.get("font-family", "") for t in chart.xpath(".//text"))
