"""One set of list conventions for every list (issue 23): the page envelope everywhere,
``page_size`` up to a maximum, ``ordering`` where named, and 400 for values not understood."""

import django_filters
import pytest
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import Role
from channel.services.agenda import panel_add_case
from channel.services.panels import panel_create
from prevent_cms.api.lists import StrictFilterSet
from tests.channel import factories as cf
from tests.referrals import factories as rf

ENVELOPE = {"count", "next", "previous", "results"}
USERS = "/api/v1/users/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_no_list_in_the_schema_answers_a_bare_array(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    bare = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ok = operation.get("responses", {}).get("200", {})
            for content in ok.get("content", {}).values():
                if content.get("schema", {}).get("type") == "array":
                    bare.append(f"{method.upper()} {path}")
    assert not bare, "lists answering a bare array instead of a page:\n" + "\n".join(bare)


@pytest.fixture
def chair_case(world):
    team = cf.channel_team(world)
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = panel_create(
        actor=team.chair, date=cf.today(), location="Town Hall", member_ids=[team.officer.pk]
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    return team.chair, referral, panel


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/local-authorities/",
        "/api/v1/channel/assessment-frameworks/",
        "/api/v1/channel/panels/{panel}/agenda/",
        "/api/v1/channel/panels/{panel}/actions/",
        "/api/v1/referrals/{case}/vulnerability-assessments/",
        "/api/v1/referrals/{case}/consents/",
        "/api/v1/referrals/{case}/support-plan/interventions/",
        "/api/v1/referrals/{case}/reviews/",
        "/api/v1/channel/panels/",
    ],
)
def test_the_lists_that_answered_bare_arrays_answer_the_page_envelope(chair_case, url):
    chair, referral, panel = chair_case
    response = client_for(chair).get(url.format(panel=panel.pk, case=referral.pk))
    assert response.status_code == 200
    assert set(response.json()) == ENVELOPE


def test_page_size_is_honoured_up_to_the_maximum(world, settings):
    settings.API_MAX_PAGE_SIZE = 3
    for _ in range(4):
        world.user(Role.PANEL_MEMBER, agency=world.council_a)
    client = client_for(world.user(Role.CHANNEL_CHAIR, agency=world.council_a))
    one = client.get(USERS, {"page_size": 1}).json()
    assert len(one["results"]) == 1
    assert one["count"] == 5
    assert one["next"]
    capped = client.get(USERS, {"page_size": 1000}).json()
    assert len(capped["results"]) == 3
    # Any number of digits: the schema names no maximum (schemathesis sent 10 digits, 400).
    huge = client.get(USERS, {"page_size": "12345678901234567890"})
    assert huge.status_code == 200
    assert len(huge.json()["results"]) == 3


@pytest.mark.parametrize("size", ["abc", "0", "-2"])
def test_a_page_size_that_is_not_a_positive_number_answers_400(world, size):
    client = client_for(world.user(Role.CHANNEL_CHAIR, agency=world.council_a))
    response = client.get(USERS, {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


def test_ordering_is_honoured_on_the_fields_named(world):
    chair = world.user(Role.CHANNEL_CHAIR, agency=world.council_a, username="m-chair")
    world.user(Role.PANEL_MEMBER, agency=world.council_a, username="a-member")
    world.user(Role.PANEL_MEMBER, agency=world.council_a, username="z-member")
    client = client_for(chair)
    names = [u["username"] for u in client.get(USERS, {"ordering": "-username"}).json()["results"]]
    assert names == ["z-member", "m-chair", "a-member"]
    names = [u["username"] for u in client.get(USERS, {"ordering": "username"}).json()["results"]]
    assert names == ["a-member", "m-chair", "z-member"]


def test_ordering_by_an_unknown_field_answers_400_naming_ordering(world):
    client = client_for(world.user(Role.CHANNEL_CHAIR, agency=world.council_a))
    response = client.get(USERS, {"ordering": "password"})
    assert response.status_code == 400
    assert "ordering" in response.json()["errors"]


def test_a_list_with_one_fixed_order_refuses_ordering(world):
    officer = rf.officer_for(world)
    case = rf.police_assessment(world, officer=officer)
    response = client_for(officer).get(f"/api/v1/referrals/{case.pk}/history/", {"ordering": "-at"})
    assert response.status_code == 400
    assert "ordering" in response.json()["errors"]


def test_an_unknown_role_answers_400_naming_role(world):
    response = client_for(world.user(Role.CHANNEL_CHAIR, agency=world.council_a)).get(
        USERS, {"role": "AAA"}
    )
    assert response.status_code == 400
    assert "role" in response.json()["errors"]


def test_suppressed_that_is_not_a_boolean_answers_400_naming_it(world):
    officer = rf.officer_for(world)
    response = client_for(officer).get(
        "/api/v1/reports/statistics/",
        {"from": "2024-04-01", "to": "2025-03-31", "suppressed": "notabool"},
    )
    assert response.status_code == 400
    assert "suppressed" in response.json()["errors"]


def test_a_malformed_referral_filter_answers_400_naming_it(world):
    response = client_for(rf.officer_for(world)).get(
        "/api/v1/referrals/", {"submitted_after": "yesterday"}
    )
    assert response.status_code == 400
    assert "submitted_after" in response.json()["errors"]


# --- What schemathesis's coverage phase found (make api-check, issue 23) -----------------


@pytest.mark.parametrize(
    "name", ["submitted_before", "submitted_after", "state", "local_authority"]
)
@pytest.mark.parametrize("value", ["", "  "])
def test_a_referral_filter_given_no_value_answers_400_naming_it(world, name, value):
    """``GET /api/v1/referrals/?submitted_before=`` answered 200: django-filter reads an
    empty value as no filter, but the schema's date, state and uuid have no empty value."""
    response = client_for(rf.officer_for(world)).get("/api/v1/referrals/", {name: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


def test_a_blank_reference_is_still_no_filter(world):
    """``q``'s pattern allows a blank reference, so it stays what it was: no filter."""
    officer = rf.officer_for(world)
    rf.direct(rf.InPoliceAssessmentFactory, world, officer=officer)
    response = client_for(officer).get("/api/v1/referrals/", {"q": " "})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_every_filterset_of_the_api_refuses_a_parameter_given_no_value():
    """So the next list filter cannot answer 200 to ``?filter=`` either."""

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield getattr(pattern.callback, "cls", None)

    lenient = {
        view.filterset_class.__name__
        for view in views(get_resolver().url_patterns)
        if issubclass(getattr(view, "filterset_class", None) or object, django_filters.FilterSet)
        and not issubclass(view.filterset_class, StrictFilterSet)
    }
    assert not lenient


@pytest.mark.parametrize("number", ["", "last"])
def test_a_page_that_is_not_a_number_answers_404(world, number):
    """``?page=`` and ``?page=last`` were read as page 1 and the last page: the schema says
    an integer, so they are invalid pages, as ``?page=abc`` is."""
    response = client_for(world.user(Role.CHANNEL_CHAIR, agency=world.council_a)).get(
        USERS, {"page": number}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("size", ["", " 5", "+5", "5.0"])
def test_a_page_size_that_is_not_digits_answers_400(world, size):
    """``?page_size=`` was read as the default, ``+5`` as 5: the schema says an integer."""
    response = client_for(world.user(Role.CHANNEL_CHAIR, agency=world.council_a)).get(
        USERS, {"page_size": size}
    )
    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


def test_a_page_size_above_the_maximum_is_not_invalid_by_the_schema(world):
    """``GET /api/v1/training/records/?page_size=101`` answers 200 with the largest page, as
    documented; the schema said ``maximum: 100``, calling the request invalid."""
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    response = client_for(lead).get("/api/v1/training/records/", {"page_size": 101})
    assert response.status_code == 200
    schema = SchemaGenerator().get_schema(request=None, public=True)
    (size,) = [
        p
        for p in schema["paths"]["/api/v1/training/records/"]["get"]["parameters"]
        if p["name"] == "page_size"
    ]
    assert "maximum" not in size["schema"]
    assert size["schema"]["minimum"] == 1
    assert "at most 100" in size["description"]


@pytest.mark.parametrize("name", ["status", "agency", "course", "q"])
def test_a_training_record_filter_given_no_value_answers_400_naming_it(world, name):
    """``GET /api/v1/training/records/?status=`` answered 200: DRF reads an empty value of an
    optional field in a ``QueryDict`` as an absent one (``query_params`` now does not)."""
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    response = client_for(lead).get("/api/v1/training/records/", {name: ""})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


def test_a_role_or_suppressed_given_no_value_answers_400_naming_it(world):
    chair = world.user(Role.CHANNEL_CHAIR, agency=world.council_a)
    response = client_for(chair).get(USERS, {"role": ""})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["role"]
    response = client_for(rf.officer_for(world)).get(
        "/api/v1/reports/statistics/",
        {"from": "2024-04-01", "to": "2025-03-31", "suppressed": ""},
    )
    assert response.status_code == 400
    assert "suppressed" in response.json()["errors"]
