import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from tests.helpers import audit_actions

LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_sign_in_page_renders_gov_uk_form(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b"govuk-input" in response.content
    assert b'name="username"' in response.content


def test_sign_in_and_out_are_audited(client, world):
    user = world.user("referrer")
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response.url == reverse("home")
    client.post(reverse("accounts:logout"))
    assert audit_actions(actor=user) == ["auth.sign_in", "auth.sign_out"]


def test_failed_sign_in_is_audited_without_the_attempted_username(client, world):
    user = world.user("referrer")
    response = sign_in(client, user.username, "wrong-password-1")
    assert response.status_code == 200
    sign_in(client, "nobody-by-this-name", "wrong-password-1")
    from prevent_cms.models import AuditEvent

    failed = list(AuditEvent.objects.filter(action="auth.sign_in_failed").order_by("id"))
    assert [e.object_id for e in failed] == [str(user.pk), ""]
    assert all("nobody" not in str(e.detail) + e.reason for e in failed)


def test_wrong_password_and_unknown_user_get_the_same_message(client, world):
    user = world.user("referrer")
    known = sign_in(client, user.username, "wrong-password-1").content.decode()
    unknown = sign_in(client, "no-such-user", "wrong-password-1").content.decode()
    message = "Enter a correct username and password"
    assert message in known
    assert message in unknown
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub("", known.replace(user.username, "X")) == csrf.sub(
        "", unknown.replace("no-such-user", "X")
    )


@pytest.mark.parametrize("exists", [True, False])
def test_five_failures_lock_the_username_for_fifteen_minutes(client, world, exists):
    username = world.user("referrer").username if exists else "ghost-user"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "wrong-password-1")
    locked = sign_in(client, username)
    assert locked.status_code == 429
    assert b"too many attempts to sign in with this username" in locked.content
    assert "_auth_user_id" not in client.session


def test_lockout_is_by_username_not_by_address(client, world):
    victim = world.user("referrer")
    colleague = world.user("referrer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, victim.username, "wrong-password-1")
    assert sign_in(client, colleague.username).status_code == 302


def test_idle_session_expires_after_fifteen_minutes(client, world):
    user = world.user("referrer")
    sign_in(client, user.username)
    assert client.get("/").status_code == 200
    session = client.session
    session["last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert "timeout=1" in response.url
    assert audit_actions(actor=user)[-1] == "auth.sign_out"


def test_session_ends_after_twelve_hours_even_when_active(client, world):
    user = world.user("referrer")
    sign_in(client, user.username)
    session = client.session
    session["signed_in_at"] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT - 1
    session.save()
    assert client.get("/").status_code == 302


def test_keep_alive_extends_the_session(client, world):
    user = world.user("referrer")
    sign_in(client, user.username)
    session = client.session
    session["last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT + 60
    session.save()
    response = client.post(reverse("accounts:keep_alive"), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    assert time.time() - client.session["last_seen"] < 5


def test_expired_session_on_the_api_answers_json_401(client, world):
    user = world.user("referrer")
    sign_in(client, user.username)
    session = client.session
    session["last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get("/api/v1/users/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Your session has expired. Sign in again."


def test_passwords_need_twelve_characters(world):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Sh0rt-pass!")
    validate_password("a-long-enough-passphrase")


class TestMultiFactorUnderProductionRules:
    @pytest.fixture(autouse=True)
    def _mfa_on(self, settings):
        settings.MFA_REQUIRED = True

    def test_production_settings_require_mfa(self):
        import importlib

        production = importlib.import_module("prevent_cms.settings.production")
        assert production.MFA_REQUIRED is True

    def test_password_alone_reaches_nothing(self, client, world):
        user = world.user("referrer")
        response = sign_in(client, user.username)
        assert response.url == reverse("accounts:mfa_verify")
        assert client.get("/").url == reverse("accounts:mfa_verify")
        assert client.get("/api/v1/users/").status_code == 403

    def test_new_user_enrols_then_reaches_home(self, client, world):
        user = world.user("referrer")
        sign_in(client, user.username)
        assert client.get(reverse("accounts:mfa_verify")).url == reverse("accounts:mfa_setup")
        page = client.get(reverse("accounts:mfa_setup"))
        assert b"data:image/svg+xml;base64," in page.content
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        wrong = client.post(reverse("accounts:mfa_setup"), {"otp_token": "000000"})
        assert b"The security code is not right" in wrong.content
        device.refresh_from_db()
        device.throttle_reset()  # a wrong code throttles the next try for a second
        code = f"{totp(device.bin_key):06d}"
        response = client.post(reverse("accounts:mfa_setup"), {"otp_token": code})
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        assert "auth.mfa_enrolled" in audit_actions(actor=user)

    def test_enrolled_user_gives_a_code_at_each_sign_in(self, client, world):
        user = world.user("referrer")
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        sign_in(client, user.username)
        assert client.get(reverse("accounts:mfa_verify")).status_code == 200
        letters = client.post(reverse("accounts:mfa_verify"), {"otp_token": "abcdef"})
        assert b"The security code must be 6 digits" in letters.content
        code = f"{totp(device.bin_key):06d}"
        assert client.post(reverse("accounts:mfa_verify"), {"otp_token": code}).status_code == 302
        assert client.get("/").status_code == 200
