"""A person locked out by django-axes or made inactive loses the session and token they hold.

Locking happens at the sign-in form (five failures for the username), so a session or an API
token issued before would otherwise go on working. Each is refused on its next request — the
API answers 401 in its JSON shape, pages sign the session out and show the GOV.UK message —
the refusal is audited by id and code only, and unlocking (``axes_reset_username``) or
reactivating gives access back.
"""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.authentication import INACTIVE, LOCKED
from prevent_cms.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import audit_actions

LOGIN = reverse("accounts:login")
API = "/api/v1/users/"


@pytest.fixture
def officer(world):
    return world.user("prevent_officer", agency=world.police_a)


def _lock(username: str) -> None:
    """Five wrong passwords from somewhere else: what axes counts."""
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": username, "password": "wrong-password-1"})
    locked = attacker.post(LOGIN, {"username": username, "password": PASSWORD})
    assert locked.status_code == 429


def _unlock(username: str) -> None:
    call_command("axes_reset_username", username, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _signed_in(user) -> Client:
    client = Client()
    assert client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200
    return client


def _token_client(user) -> Client:
    key = Token.objects.create(user=user).key
    client = Client(headers={"Authorization": f"Token {key}"})
    assert client.get(API).status_code == 200
    return client


def _refusals(user) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action="auth.refused", object_id=str(user.pk)).order_by("id")
    )


def _assert_no_personal_data(user, *, events, records) -> None:
    for event in events:
        assert event.actor_id is None
        assert event.object_type == "accounts.user"
        assert user.username not in str(event.detail) + event.reason
    for record in records:
        text = record.getMessage()
        for value in (user.username, user.first_name, user.last_name, user.email):
            assert value not in text, record.name


def test_a_locked_out_persons_token_is_refused_until_unlocked(officer, caplog):
    api = _token_client(officer)
    _lock(officer.username)
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        refused = api.get(API)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/json"
    assert refused.json() == {
        "detail": "There have been too many attempts to sign in with this username. "
        "Wait 15 minutes, then try again.",
        "code": "authentication_failed",
    }
    assert refused["WWW-Authenticate"].startswith("Token")
    assert api.post("/api/v1/referrals/", {}, content_type="application/json").status_code == 401
    events = _refusals(officer)
    # Two refusals, one audit event: the record of refusals is rate-limited per account.
    assert [(e.reason, e.detail) for e in events] == [(LOCKED, {"via": "token"})]
    _assert_no_personal_data(officer, events=events, records=caplog.records)

    _unlock(officer.username)
    assert api.get(API).status_code == 200


def test_an_inactive_persons_token_is_refused_until_reactivated(officer):
    api = _token_client(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    refused = api.get(API)
    assert refused.status_code == 401
    assert refused.json() == {
        "detail": "Sign in to use this service.",
        "code": "authentication_failed",
    }
    assert [(e.reason, e.detail) for e in _refusals(officer)] == [(INACTIVE, {"via": "token"})]

    officer.is_active = True
    officer.save(update_fields=["is_active"])
    assert api.get(API).status_code == 200


def test_a_locked_out_persons_session_is_signed_out_with_the_lockout_message(officer, caplog):
    browser = _signed_in(officer)
    _lock(officer.username)
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        response = browser.get("/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?signed_out={LOCKED}"
    assert "_auth_user_id" not in browser.session
    page = browser.get(response.url)
    assert page.status_code == 200
    assert b"govuk-error-summary" in page.content
    assert b"too many attempts to sign in with this username" in page.content
    # Signed out, not merely refused once: the next request is anonymous.
    assert browser.get("/").url.startswith(f"{LOGIN}?next=")
    events = _refusals(officer)
    assert [(e.reason, e.detail) for e in events] == [(LOCKED, {"via": "session"})]
    sign_out = AuditEvent.objects.filter(action="auth.sign_out", object_id=str(officer.pk)).get()
    assert sign_out.reason == LOCKED
    _assert_no_personal_data(officer, events=events, records=caplog.records)

    # Still locked: signing in again is refused until the lock is reset.
    again = browser.post(LOGIN, {"username": officer.username, "password": PASSWORD})
    assert again.status_code == 429
    _unlock(officer.username)
    _signed_in(officer)


def test_a_locked_out_persons_session_on_the_api_answers_json_401(officer):
    browser = _signed_in(officer)
    assert browser.get(API).status_code == 200
    _lock(officer.username)
    refused = browser.get(API)
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("There have been too many attempts")
    assert "_auth_user_id" not in browser.session
    assert browser.get(API).status_code == 401


def test_an_inactive_persons_session_is_signed_out_with_the_usual_message(officer):
    browser = _signed_in(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    response = browser.get("/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?signed_out={INACTIVE}"
    assert "_auth_user_id" not in browser.session
    page = browser.get(response.url)
    assert b"You were signed out to protect your information" in page.content
    assert [(e.reason, e.detail) for e in _refusals(officer)] == [(INACTIVE, {"via": "session"})]

    officer.is_active = True
    officer.save(update_fields=["is_active"])
    _signed_in(officer)


def test_other_people_are_not_affected_by_a_lockout(world, officer):
    colleague = world.user("prevent_officer", agency=world.police_a)
    browser = _signed_in(colleague)
    api = _token_client(colleague)
    _lock(officer.username)
    assert browser.get("/").status_code == 200
    assert api.get(API).status_code == 200
    assert "auth.refused" not in audit_actions()


def test_failed_sign_ins_log_no_username(officer, caplog):
    with caplog.at_level(logging.DEBUG):
        _lock(officer.username)
    assert caplog.records, "axes logged nothing: the check below would prove nothing"
    _assert_no_personal_data(officer, events=[], records=caplog.records)
