"""API tokens expire, are renewed and revoked by their owner or an administrator, and every
issue, renewal and revocation is audited by user id, never by key (issue 13).

A token of a locked-out or deactivated account is refused on every call, but the refusal is
recorded at most once per account per window, so a client looping on a dead token cannot
flood the audit trail.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.authentication import INACTIVE, TokenRefusalAuditThrottle
from accounts.models import Role
from prevent_cms.models import AuditEvent

TOKEN_URL = "/api/v1/auth/token/"
RENEW_URL = "/api/v1/auth/token/renew/"
API = "/api/v1/users/"


@pytest.fixture
def officer(world):
    return world.user(Role.PREVENT_OFFICER, agency=world.police_a)


def _api(key: str) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


def _age(token: Token, days: float) -> None:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=days))


def _token_events(user) -> list[tuple[str, dict]]:
    return [
        (e.action, e.detail)
        for e in AuditEvent.objects.filter(
            action__startswith="token.", object_id=str(user.pk)
        ).order_by("id")
    ]


def _no_key_in_audit(*keys: str) -> None:
    for event in AuditEvent.objects.all():
        for key in keys:
            assert key not in str(event.detail) + event.reason + event.object_id


def test_a_token_expires_after_the_lifetime(officer):
    token = Token.objects.create(user=officer)
    api = _api(token.key)
    _age(token, 29.9)
    assert api.get(API).status_code == 200
    _age(token, 30.01)
    refused = api.get(API)
    assert refused.status_code == 401
    assert "This API token has expired" in refused.json()["detail"]
    assert refused["WWW-Authenticate"].startswith("Token")


def test_the_owner_issues_a_token_from_a_signed_in_session_only(client, officer):
    client.force_login(officer)
    issued = client.post(TOKEN_URL)
    assert issued.status_code == 201
    assert issued["Cache-Control"] == "no-store"
    body = issued.json()
    assert set(body) == {"key", "created", "expires"}
    expires = datetime.datetime.fromisoformat(body["expires"])
    created = datetime.datetime.fromisoformat(body["created"])
    assert expires - created == datetime.timedelta(days=30)
    api = _api(body["key"])
    assert api.get(API).status_code == 200
    assert api.get(TOKEN_URL).json() == {"created": body["created"], "expires": body["expires"]}

    # A token cannot mint another: that would outlive the session and MFA that made it.
    assert api.post(TOKEN_URL).status_code == 403

    again = client.post(TOKEN_URL).json()
    assert _api(body["key"]).get(API).status_code == 401
    assert _token_events(officer) == [
        ("token.issued", {"replaced": False}),
        ("token.issued", {"replaced": True}),
    ]
    _no_key_in_audit(body["key"], again["key"])


def test_the_owner_renews_a_token_before_it_expires(officer):
    token = Token.objects.create(user=officer)
    _age(token, 25)
    api = _api(token.key)
    renewed = api.post(RENEW_URL)
    assert renewed.status_code == 200
    assert renewed["Cache-Control"] == "no-store"
    new_key = renewed.json()["key"]
    assert new_key != token.key
    assert api.get(API).status_code == 401  # the old key is gone
    fresh = Token.objects.get(user=officer)
    assert timezone.now() - fresh.created < datetime.timedelta(minutes=1)
    assert _api(new_key).get(API).status_code == 200
    assert _token_events(officer) == [("token.renewed", {})]
    _no_key_in_audit(token.key, new_key)


def test_an_expired_token_cannot_renew_itself(client, officer):
    token = Token.objects.create(user=officer)
    _age(token, 31)
    assert _api(token.key).post(RENEW_URL).status_code == 401
    client.force_login(officer)
    refused = client.post(RENEW_URL)
    assert refused.status_code == 404
    assert "Issue a new one" in refused.json()["detail"]
    assert _token_events(officer) == []


def test_the_owner_revokes_their_token(officer):
    token = Token.objects.create(user=officer)
    api = _api(token.key)
    assert api.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=officer).exists()
    assert api.get(API).status_code == 401
    assert _token_events(officer) == [("token.revoked", {"by": "owner"})]
    _no_key_in_audit(token.key)


def test_an_administrator_revokes_tokens_in_the_admin(client, world, officer):
    admin_user = world.user(Role.SYSTEM_ADMIN, agency=world.council_a, is_staff=True)
    token = Token.objects.create(user=officer)
    client.force_login(admin_user)
    page = client.get(f"/admin/accounts/user/{officer.pk}/change/").content.decode()
    assert token.key not in page
    response = client.post(
        "/admin/accounts/user/",
        {"action": "revoke_api_tokens", "_selected_action": [str(officer.pk)]},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(user=officer).exists()
    assert _api(token.key).get(API).status_code == 401
    events = AuditEvent.objects.filter(action="token.revoked", object_id=str(officer.pk))
    assert [(e.actor_id, e.detail) for e in events] == [(admin_user.pk, {"by": "admin"})]
    _no_key_in_audit(token.key)
    # DRF's own token screen, which lists keys and deletes unaudited, is not offered.
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_a_refused_token_is_audited_once_per_window_not_per_request(officer, settings, monkeypatch):
    # The throttle's own clock, moved by the test: a busy machine's slow requests must not
    # decide which side of the window a refusal falls.
    settings.API_TOKEN_REFUSAL_AUDIT_SECONDS = 60
    now = [time.time()]
    monkeypatch.setattr(TokenRefusalAuditThrottle, "timer", lambda _self: now[0])
    api = _api(Token.objects.create(user=officer).key)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    for _ in range(5):
        assert api.get(API).status_code == 401
    refusals = AuditEvent.objects.filter(action="auth.refused", object_id=str(officer.pk))
    assert [(e.reason, e.detail) for e in refusals] == [(INACTIVE, {"via": "token"})]

    # Refused again and again until the window passes: then (and only then) the next refusal
    # is recorded again, once.
    now[0] += 59
    assert api.get(API).status_code == 401
    assert refusals.all().count() == 1
    now[0] += 2
    for _ in range(3):
        assert api.get(API).status_code == 401
    assert refusals.all().count() == 2


def test_the_owner_manages_their_token_on_a_page(client, officer):
    page_url = "/accounts/api-token/"
    client.force_login(officer)
    assert "You have no API token" in client.get(page_url).content.decode()

    issued = client.post(page_url, {"action": "issue"})
    assert issued["Cache-Control"] == "no-store"
    key = Token.objects.get(user=officer).key
    assert key in issued.content.decode()
    assert key not in client.get(page_url).content.decode()  # shown once only
    assert _api(key).get(API).status_code == 200

    renewed = client.post(page_url, {"action": "renew"})
    new_key = Token.objects.get(user=officer).key
    assert new_key != key
    assert new_key in renewed.content.decode()
    assert _api(key).get(API).status_code == 401

    assert client.post(page_url, {"action": "revoke"}).status_code == 302
    assert not Token.objects.filter(user=officer).exists()
    assert [action for action, _detail in _token_events(officer)] == [
        "token.issued",
        "token.renewed",
        "token.revoked",
    ]
    _no_key_in_audit(key, new_key)
