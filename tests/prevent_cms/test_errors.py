"""One error family, one API exception handler, one HTML mapping (issues 14 and 23).

Errors a program can branch on: one body shape with a stable ``code`` per error and per field
error, field errors always lists, RFC 9457 problem details when asked for, a content type that
says what the body is, and the checks in the order that tells a stranger nothing.
"""

import inspect

import pytest
from django import forms
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient
from rest_framework.views import APIView

from accounts.models import Role
from prevent_cms import errors
from tests.prevent_cms.source_tree import files_containing
from tests.referrals import factories as f

LIST = "/api/v1/referrals/"
STATISTICS = "/api/v1/reports/statistics/"
BOTH = "application/json, application/problem+json"


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _views(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry)
        elif isinstance(entry, URLPattern):
            yield entry.callback


# --- One of each -------------------------------------------------------------------------


def test_there_is_one_exception_handler_and_no_view_maps_errors_itself():
    assert settings.REST_FRAMEWORK["EXCEPTION_HANDLER"] == "prevent_cms.api.exception_handler"
    assert files_containing("def exception_handler(") == ["prevent_cms/api/__init__.py"]
    assert files_containing("def handle_exception(") == []
    api_views = [v.cls for v in _views() if inspect.isclass(getattr(v, "cls", None))]
    assert len(api_views) > 30
    for view in api_views:
        if issubclass(view, APIView):
            assert view.handle_exception is APIView.handle_exception, view
            assert view.get_exception_handler is APIView.get_exception_handler, view


def test_the_family_lives_in_prevent_cms():
    assert files_containing("class GuardFailed(") == ["prevent_cms/errors.py"]
    assert files_containing("class TransitionNotAllowed(") == ["prevent_cms/errors.py"]
    assert files_containing("referrals.exceptions") == []
    codes = {
        cls.code
        for cls in vars(errors).values()
        if isinstance(cls, type)
        and cls is not errors.DomainError
        and issubclass(cls, errors.DomainError)
    }
    assert {"guard_failed", "transition_not_allowed", "permission_denied", "not_found"} <= codes
    assert errors.PreconditionFailed.status == 412
    assert errors.IdempotencyConflict.status == 422


# --- Codes and shape ---------------------------------------------------------------------


def test_a_guard_failure_has_a_code_and_each_field_a_list_of_coded_errors(world):
    """The referral submit's guard used to answer ``{"referrer_phone": "words"}``: a string."""
    referral = f.draft(world, referrer_phone="", subject={"postcode": ""})
    response = _api(referral.referrer).post(
        f"{LIST}{referral.pk}/transitions/submit/", {}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "guard_failed"
    assert set(body["errors"]) == {"referrer_phone", "postcode"}
    for items in body["errors"].values():
        assert isinstance(items, list)
        assert items
        for item in items:
            assert set(item) == {"message", "code"}
            assert item["message"]
            assert item["code"]


def test_a_serializer_error_names_drfs_code_per_field(world):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    response = _api(referrer).post(LIST, {"referrer_phone": "x" * 500}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    codes = {
        item["code"]
        for items in body["errors"].values()
        if isinstance(items, list)
        for item in items
    }
    assert "max_length" in codes


@pytest.mark.parametrize(
    ("user_role", "status", "code"),
    [(None, 401, "not_authenticated"), (Role.BOROUGH_LEAD, 403, "permission_denied")],
)
def test_refusals_carry_their_code(world, user_role, status, code):
    user = world.user(user_role, agency=world.council_a) if user_role else None
    response = _api(user).post(f"{LIST}search/", {"q": "x"}, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code


def test_wrong_state_answers_409_with_its_code(world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    referral = f.direct(f.SubmittedFactory, world)
    response = _api(officer).post(
        f"{LIST}{referral.pk}/transitions/refer_to_channel/", {"rationale": "x"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_an_unknown_api_path_answers_the_same_shape(world):
    response = _api(world.user(Role.PREVENT_OFFICER, agency=world.police_a)).get("/api/v1/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


# --- problem+json ------------------------------------------------------------------------


def test_problem_json_when_asked_for(world):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    response = _api(referrer).post(
        LIST, {"referrer_phone": "x" * 500}, format="json", HTTP_ACCEPT=BOTH
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:prevent-cms:error:invalid"
    assert body["title"] == "Bad Request"
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert body["detail"]
    assert isinstance(body["errors"]["referrer_phone"], list)


def test_problem_json_for_a_refusal_and_for_an_unknown_path(world):
    anonymous = _api().get(LIST, HTTP_ACCEPT="application/problem+json")
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"
    assert anonymous.json()["status"] == 401
    assert "WWW-Authenticate" in anonymous
    unknown = _api(world.user(Role.REFERRER, agency=world.school_a)).get(
        "/api/v1/nothing/", HTTP_ACCEPT="application/problem+json"
    )
    assert unknown["Content-Type"] == "application/problem+json"
    assert unknown.json()["code"] == "not_found"


# --- The content type tells the truth; who before what --------------------------------------


@pytest.mark.parametrize("query", ["?format=csv", "?format=xlsx"])
def test_a_refused_download_is_json_labelled_json(world, query):
    anonymous = _api().get(STATISTICS + query)
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/json"
    assert anonymous.json()["code"] == "not_authenticated"
    officer = _api(world.user(Role.REFERRER, agency=world.school_a)).get(STATISTICS + query)
    assert officer.status_code == 403
    assert officer["Content-Type"] == "application/json"
    assert officer.json()["code"] == "permission_denied"


def test_format_junk_without_credentials_answers_401(world):
    response = _api().get(LIST + "?format=junk")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    signed_in = _api(world.user(Role.REFERRER, agency=world.school_a)).get(LIST + "?format=junk")
    assert signed_in.status_code == 404


def test_an_accept_nothing_matches_answers_401_to_a_stranger(world):
    response = _api().get(LIST, HTTP_ACCEPT="image/png")
    assert response.status_code == 401
    signed_in = _api(world.user(Role.REFERRER, agency=world.school_a)).get(
        LIST, HTTP_ACCEPT="image/png"
    )
    assert signed_in.status_code == 406
    assert signed_in.json()["code"] == "not_acceptable"


def test_an_out_of_scope_panel_with_an_invalid_body_answers_404(world):
    chair_a = world.user(Role.CHANNEL_CHAIR, agency=world.council_a)
    created = _api(chair_a).post(
        "/api/v1/channel/panels/", {"date": "2030-01-10", "location": "Town Hall"}, format="json"
    )
    assert created.status_code == 201, created.json()
    panel = created.json()["id"]
    stranger = _api(world.user(Role.CHANNEL_CHAIR, agency=world.council_c))
    nul = {"attended": ["\x00"], "minutes": "\x00", "sign_off": "\x00"}
    for path in ("hold/", "actions/", "agenda/", "agency-updates/"):
        response = stranger.post(f"/api/v1/channel/panels/{panel}/{path}", nul, format="json")
        assert response.status_code == 404, (path, response.content)


# --- Outside the API ---------------------------------------------------------------------


@pytest.mark.parametrize("next_url", ["id", "home.html", "https://elsewhere.example/", ""])
def test_keep_alive_with_a_next_that_is_not_a_path_goes_home(client, world, next_url):
    client.force_login(world.user(Role.REFERRER, agency=world.school_a))
    response = client.post(reverse("accounts:keep_alive"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_keep_alive_goes_back_to_a_path(client, world):
    client.force_login(world.user(Role.REFERRER, agency=world.school_a))
    response = client.post(reverse("accounts:keep_alive"), {"next": "/referrals/"})
    assert response.status_code == 302
    assert response["Location"] == "/referrals/"


def test_an_admin_filter_holding_nul_answers_400(client, world):
    client.raise_request_exception = False
    client.force_login(world.user(Role.SYSTEM_ADMIN, agency=world.council_a, is_staff=True))
    assert client.get("/admin/accounts/agency/?sector__exact=school").status_code == 200
    assert client.get("/admin/accounts/agency/?sector__exact=%00").status_code == 400
    assert client.get("/admin/accounts/user/?q=a%00b").status_code == 400


def test_an_api_filter_holding_nul_answers_400_in_the_error_shape(world):
    client = _api(world.user(Role.PREVENT_OFFICER, agency=world.police_a))
    client.raise_request_exception = False
    response = client.get(LIST + "?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "bad_request"


# --- The one HTML mapping ----------------------------------------------------------------


class _Form(forms.Form):
    reason = forms.CharField(required=False)


def _raise(error):
    def call():
        raise error

    return call


def test_a_page_shows_field_errors_on_their_fields_and_the_rest_form_wide():
    form = _Form({"reason": ""})
    assert form.is_valid()
    error = errors.GuardFailed({"reason": "Give a reason", "elsewhere": "Not on this form"})
    assert errors.run_service(form, _raise(error)) is None
    assert form.errors["reason"] == ["Give a reason"]
    assert form.non_field_errors() == ["Not on this form"]


def test_a_page_shows_a_conflict_on_its_own_page_or_on_the_form():
    form = _Form({})
    form.is_valid()
    page = HttpResponse(status=409)
    moved_on = errors.TransitionNotAllowed("The case has moved on.")
    assert errors.run_service(form, _raise(moved_on), conflict=lambda message: page) is page
    assert errors.run_service(form, _raise(moved_on)) is None
    assert form.non_field_errors() == ["The case has moved on."]


def test_a_page_answers_403_and_404_through_djangos_own_pages():
    form = _Form({})
    form.is_valid()
    with pytest.raises(PermissionDenied):
        errors.run_service(form, _raise(errors.ActionForbidden()))
    with pytest.raises(Http404):
        errors.run_service(form, _raise(errors.NotFound()))
    with pytest.raises(Http404):
        errors.run_service(form, _raise(ObjectDoesNotExist()))
    assert errors.run_service(form, lambda: "done") == "done"


def test_a_button_without_a_form_shows_the_error_as_a_message(rf):
    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    invalid = errors.InvalidInput(detail="This import can no longer be cancelled.")
    assert errors.run_service(None, _raise(invalid), request=request) is None
    assert [str(m) for m in get_messages(request)] == ["This import can no longer be cancelled."]


def test_errors_of_a_list_of_objects_are_keyed_by_position(world):
    """``other_agencies`` is a list of objects: its errors are ``{"0": {"name": [...]}}``, so a
    list in ``errors`` only ever holds errors (DRF answered ``[{"name": [...]}]``)."""
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    response = _api(referrer).post(LIST, {"other_agencies": [{"role": "x"}]}, format="json")
    assert response.status_code == 400
    agencies = response.json()["errors"]["other_agencies"]
    assert set(agencies) == {"0"}
    assert agencies["0"]["name"] == [{"message": "Agency name is required", "code": "required"}]
