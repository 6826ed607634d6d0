"""Statistics for a whole police force: who may see them, one query, and the same figures as
its local authorities added up, on the page, in the API and in the downloads."""

import datetime
import io
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Role
from channel.models import AgendaItem, Panel
from prevent_cms.errors import InvalidInput
from prevent_cms.models import AuditEvent
from reports import selectors
from reports.periods import period_from_params
from tests.helpers import assert_hidden
from tests.referrals import factories as rf

from .conftest import FY_2024, _set, at
from .test_statistics import EXPECTED

URL = "/api/v1/reports/statistics/"
PAGE = "/reports/"
PERIOD = {"from": FY_2024[0], "to": FY_2024[1]}
TABLE_KEYS = [*selectors.TABLES, "journey"]


@pytest.fixture
def force_world(stats_world):
    """stats_world (13 referrals in Northbridge, 1 in Southmere) plus two more Southmere
    referrals of the period, one police-led and one discussed at a held Southmere panel, and
    one in Westford, which belongs to another force and must never count."""
    world = stats_world.world
    south = rf.referrer_for(world, agency=world.council_b)
    led = _set(
        rf.police_led(world, referrer=south, concern_types=["left_wing"]),
        submitted=at("2024-07-07"),
        dob="1999-07-08",
        gender="female",
    )
    discussed = _set(
        rf.channel_panel(world, referrer=south),
        submitted=at("2024-08-08"),
        dob="2012-02-29",
        gender="male",
    )
    panel = Panel.objects.create(
        local_authority=world.la_b,
        chair=stats_world.chair,
        date=datetime.date(2024, 10, 1),
        location="Civic centre",
        held_at=at("2024-10-01"),
    )
    AgendaItem.objects.create(panel=panel, referral=discussed)
    west = rf.referrer_for(world, agency=world.school_c)
    _set(
        rf.police_led(world, referrer=west, officer=rf.officer_for(world, world.police_c)),
        submitted=at("2024-06-06"),
        dob="2000-01-01",
        gender="male",
    )
    stats_world.referrals.update(south_led=led, south_discussed=discussed)
    return stats_world


@pytest.fixture
def officer(world):
    return world.user(Role.PREVENT_OFFICER, agency=world.police_a)


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Who may see a force -----------------------------------------------------------------


def test_officer_may_see_their_own_force(world, officer):
    scope = selectors.statistics_scope_get(officer, police_force_id=world.force.pk)
    assert (scope.police_force, scope.local_authority, scope.kind) == (
        world.force,
        None,
        "police_force",
    )
    assert list(selectors.statistics_police_forces_for(officer)) == [world.force]


def test_all_local_authorities_means_the_officers_own_force(world, officer):
    scope = selectors.statistics_scope_get(
        officer, local_authority_id=selectors.ALL_LOCAL_AUTHORITIES
    )
    assert scope.police_force == world.force


@pytest.mark.parametrize("force_id", ["other_force", "not-a-uuid"])
def test_officer_asking_for_another_force_is_404(world, officer, force_id):
    wanted = world.other_force.pk if force_id == "other_force" else force_id
    with pytest.raises(Http404):
        selectors.statistics_scope_get(officer, police_force_id=wanted)


def test_borough_lead_cannot_see_their_force(world, lead):
    assert not selectors.statistics_police_forces_for(lead).exists()
    with pytest.raises(Http404):
        selectors.statistics_scope_get(lead, police_force_id=world.force.pk)
    with pytest.raises(Http404):
        selectors.statistics_scope_get(lead, local_authority_id=selectors.ALL_LOCAL_AUTHORITIES)
    # Their own local authority stays the default.
    assert selectors.statistics_scope_get(lead).local_authority == world.la_a


@pytest.mark.parametrize("role", [Role.REFERRER, Role.CHANNEL_CHAIR, Role.SYSTEM_ADMIN])
def test_roles_without_statistics_get_403_for_a_force(world, role):
    user = world.user(role, agency=world.police_a)
    with pytest.raises(PermissionDenied):
        selectors.statistics_scope_get(user, police_force_id=world.force.pk)
    with pytest.raises(PermissionDenied):
        selectors.statistics_scope_get(user, local_authority_id=selectors.ALL_LOCAL_AUTHORITIES)


def test_a_local_authority_and_a_force_at_once_is_refused(world, officer):
    with pytest.raises(InvalidInput):
        selectors.statistics_scope_get(
            officer, local_authority_id=world.la_a.pk, police_force_id=world.force.pk
        )


# --- One query, the same figures ---------------------------------------------------------


@pytest.mark.parametrize("scope", ["local_authority", "police_force"])
def test_the_tables_take_one_query_whatever_the_number_of_referrals(
    force_world, django_assert_num_queries, scope
):
    world = force_world.world
    kwargs = (
        {"local_authority": world.la_a}
        if scope == "local_authority"
        else {"police_force": world.force}
    )
    period = period_from_params(*FY_2024)
    with django_assert_num_queries(1):
        before = selectors.statistics_counts_for(period=period, **kwargs)
    for _ in range(3):
        _set(rf.assessed(world), submitted=at("2024-09-09"), dob="2008-01-01", gender="male")
    with django_assert_num_queries(1):
        after = selectors.statistics_counts_for(period=period, **kwargs)
    assert after["total_referrals"] == before["total_referrals"] + 3
    # The page's tables add only the concern-type scheme lookup.
    with django_assert_num_queries(2):
        selectors.statistics_tables_for(period=period, **kwargs)


def test_alike_referrals_come_back_as_one_counted_row(world):
    """Python folds one row per combination of categories, not one per referral."""
    for _ in range(6):
        _set(rf.submitted(world), submitted=at("2024-05-05"), dob="2008-01-01", gender="male")
    period = period_from_params(*FY_2024)
    rows = list(
        selectors._statistics_rows().filter(
            selectors._scope_filter(world.la_a, None), selectors._period_filter(period)
        )
    )
    assert len(rows) == 1
    assert rows[0][-2:] == (6, 0)  # six referrals, none discussed at a panel


def test_force_tables_are_the_sum_of_its_local_authorities(force_world):
    world = force_world.world
    period = period_from_params(*FY_2024)
    force = selectors.statistics_tables_for(period=period, police_force=world.force)
    parts = [
        selectors.statistics_tables_for(period=period, local_authority=la)
        for la in (world.la_a, world.la_b)
    ]
    assert force["total_referrals"] == 13 + 3
    assert force["total_referrals"] == sum(part["total_referrals"] for part in parts)
    for key in TABLE_KEYS:
        added = Counter()
        for part in parts:
            added.update(part[key])
        assert force[key] == {code: added[code] for code in force[key]}, key
        assert force[key].keys() == parts[0][key].keys(), key
    # Northbridge alone is still the hand count; Westford (another force) is in neither.
    for key in TABLE_KEYS:
        assert parts[0][key] == EXPECTED[key], key
    assert parts[1]["outcomes"]["police_led"] == 1
    assert parts[1]["journey"] == {"referrals": 3, "discussed_at_panel": 1, "adopted": 0}


def test_force_timeliness_adds_up_its_local_authorities(force_world):
    world = force_world.world
    period = period_from_params(*FY_2024)
    force = selectors.statistics_for(period=period, police_force=world.force)["timeliness"]
    parts = [
        selectors.statistics_for(period=period, local_authority=la)["timeliness"]
        for la in (world.la_a, world.la_b)
    ]
    for name, measure in force["measures"].items():
        assert measure["count"] == sum(part["measures"][name]["count"] for part in parts), name
        assert measure["within"] == sum(part["measures"][name]["within"] for part in parts)
    for key, value in force["reviews"].items():
        assert value == sum(part["reviews"][key] for part in parts), key


def test_force_report_names_the_force_not_a_local_authority(force_world):
    world = force_world.world
    stats = selectors.statistics_for(period=period_from_params(*FY_2024), police_force=world.force)
    assert stats["scope"] == "police_force"
    assert stats["police_force"] == {"id": str(world.force.pk), "name": world.force.name}
    assert stats["local_authority"] is None


# --- The API -----------------------------------------------------------------------------


def test_api_force_scope_for_an_officer(force_world, officer):
    world = force_world.world
    response = api(officer).get(URL, {**PERIOD, "police_force": world.force.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "police_force"
    assert body["total_referrals"] == 16
    assert body["journey"] == {"referrals": 16, "discussed_at_panel": 6, "adopted": 3}
    event = AuditEvent.objects.get(action="reports.statistics.viewed", actor=officer)
    assert (event.object_type, event.object_id) == ("accounts.policeforce", str(world.force.pk))
    assert api(officer).get(URL, {**PERIOD, "local_authority": "all"}).json() == body


def test_api_local_authority_contract_is_unchanged(force_world, officer):
    world = force_world.world
    body = api(officer).get(URL, {**PERIOD, "local_authority": world.la_a.pk}).json()
    assert body["local_authority"] == {"id": str(world.la_a.pk), "name": "Northbridge"}
    assert body["scope"] == "local_authority"
    for key, expected in EXPECTED.items():
        assert body[key] == expected, key


def test_api_force_scope_is_suppressed_when_asked(force_world, officer):
    world = force_world.world
    body = (
        api(officer)
        .get(URL, {**PERIOD, "police_force": world.force.pk, "suppressed": "true"})
        .json()
    )
    assert body["suppressed"] is True
    assert body["total_referrals"] == 16
    assert body["by_gender"]["female"] is None  # 3
    assert body["by_sector"]["education"] == 7


def test_api_force_scope_out_of_bounds(force_world, officer, lead):
    world = force_world.world
    assert_hidden(api(officer).get(URL, {**PERIOD, "police_force": world.other_force.pk}))
    assert_hidden(api(officer).get(URL, {**PERIOD, "police_force": "nonsense"}))
    assert_hidden(api(lead).get(URL, {**PERIOD, "police_force": world.force.pk}))
    assert_hidden(api(lead).get(URL, {**PERIOD, "local_authority": "all"}))
    referrer = world.user(Role.REFERRER)
    assert api(referrer).get(URL, {"police_force": world.force.pk}).status_code == 403
    both = api(officer).get(
        URL, {**PERIOD, "police_force": world.force.pk, "local_authority": world.la_a.pk}
    )
    assert both.status_code == 400
    assert "not both" in both.json()["detail"]


def test_api_force_scope_as_xlsx(force_world, officer):
    world = force_world.world
    response = api(officer).get(
        URL, {**PERIOD, "police_force": world.force.pk, "format": "xlsx", "suppressed": "1"}
    )
    assert response.status_code == 200
    rows = [
        list(row)
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    assert rows[0][:2] == [
        "Prevent statistics",
        "All local authorities in Metropolitan Police Service",
    ]
    total = next(row for row in rows if row[0] == "Total referrals")
    assert total[2:4] == ["total", 16]
    event = AuditEvent.objects.get(action="reports.statistics.exported", actor=officer)
    assert event.object_type == "accounts.policeforce"


# --- The page ----------------------------------------------------------------------------


def test_page_offers_the_whole_force_to_an_officer_only(force_world, officer, lead, client):
    client.force_login(officer)
    html = client.get(PAGE, PERIOD).content.decode()
    assert (
        '<option value="all">All local authorities in Metropolitan Police Service</option>' in html
    )
    client.force_login(lead)
    assert "All local authorities in" not in client.get(PAGE, PERIOD).content.decode()


def test_page_shows_the_force_and_downloads_it(force_world, officer, client):
    world = force_world.world
    client.force_login(officer)
    response = client.get(PAGE, {**PERIOD, "local_authority": "all"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<span class="govuk-caption-l">All local authorities in Metropolitan Police Service' in html
    )
    assert "Total referrals: 16" in html
    assert '<option value="all" selected>' in html
    # The download links name the force, and the file holds the same figures.
    assert f"police_force={world.force.pk}" in html
    csv = client.get(
        PAGE, {**PERIOD, "police_force": world.force.pk, "format": "csv"}
    ).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith(
        "Prevent statistics,All local authorities in Metropolitan Police Service,2024-04-01"
    )
    assert "Total referrals,,total,16" in csv
    assert "Referrals by gender,Female,female,3" in csv


def test_page_force_scope_out_of_bounds(force_world, officer, lead, client):
    world = force_world.world
    client.force_login(officer)
    assert client.get(PAGE, {"police_force": world.other_force.pk}).status_code == 404
    assert (
        client.get(
            PAGE, {"police_force": world.force.pk, "local_authority": world.la_a.pk}
        ).status_code
        == 400
    )
    client.force_login(lead)
    assert client.get(PAGE, {"police_force": world.force.pk}).status_code == 404
    assert client.get(PAGE, {"local_authority": "all", "format": "csv"}).status_code == 404
