"""Single sign-on with an organisation's OpenID provider (issue 20), against a real one.

The provider is the certified ``oidc-provider`` package from npm, run by node on loopback
(tests/oidc). Each sign-in drives the real authorization-code flow: the Django test client
is the service, ``requests`` is the person's browser at the provider.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from prevent_cms.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import audit_actions
from tests.oidc import sign_in_at_provider, start_provider

SERVICE = "http://testserver"
CALLBACK = f"{SERVICE}/accounts/sso/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = start_provider(
        redirect_uris=[CALLBACK], log_path=tmp_path_factory.mktemp("oidc") / "provider.log"
    )
    yield running
    running.stop()


@pytest.fixture
def council(provider, settings):
    settings.OIDC_PROVIDERS = {"council": provider.entry()}
    return provider


@pytest.fixture
def alice(world):
    return world.user("prevent_officer", agency=world.council_a, email="Alice@Council.example")


def start(client, email="alice@council.example"):
    """The sign-in page's work address → the provider's authorization URL."""
    response = client.post(reverse("accounts:sso_start"), {"email": email})
    assert response.status_code == 302, response.content[:500]
    response = client.get(response.url)
    assert response.status_code == 302
    return response["Location"]


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def sso_sign_in(client, login, email=None):
    authorization = start(client, email or f"{login}@council.example")
    back = sign_in_at_provider(authorization, login, back_to=SERVICE)
    return client.get(callback_path(back))


def refusals() -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(action="auth.sso_refused")
        .order_by("id")
        .values_list("reason", "object_id", "detail__provider")
    )


def signed_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


def test_sign_in_lands_on_the_home_page_with_this_applications_roles(
    client, council, alice, settings
):
    # Through the settings fixture, never @override_settings beside it: the decorator's
    # restore ran before the fixture's and left MFA required for every later test.
    settings.MFA_REQUIRED = True
    response = sso_sign_in(client, "alice")
    assert response.status_code == 302, refusals()
    assert response.url == reverse("home")
    # MFA was the provider's (amr claims it): no one-time code asked of her here.
    home = client.get(response.url)
    assert home.status_code == 200
    assert home.wsgi_request.user == alice
    # Her provider claims she is a system administrator; the roles are this application's.
    assert home.wsgi_request.user.roles == frozenset({"prevent_officer"})
    event = AuditEvent.objects.get(action="auth.sso_sign_in")
    assert event.actor_id == alice.pk
    assert event.detail == {"provider": "council", "mfa_by_provider": True}
    assert refusals() == []


def test_the_organisation_can_be_chosen_on_the_sign_in_page(client, council, alice):
    page = client.get(reverse("accounts:login")).content.decode()
    choice = reverse("accounts:sso_authenticate", args=["council"])
    assert f'href="{choice}"' in page
    assert "Sign in with Northbridge Council" in page
    authorization = client.get(choice)["Location"]
    back = sign_in_at_provider(authorization, "alice", back_to=SERVICE)
    assert client.get(callback_path(back)).url == reverse("home")
    assert signed_in_user(client) == alice


def test_sign_in_returns_to_the_page_asked_for(client, council, alice):
    queue = reverse("referrals:queue")
    login_page = client.get(queue)
    assert login_page.status_code == 302
    page = client.get(login_page.url).content.decode()
    assert f'name="next" value="{queue}"' in page
    started = client.post(
        reverse("accounts:sso_start"), {"email": "alice@council.example", "next": queue}
    )
    authorization = client.get(started.url)["Location"]
    back = sign_in_at_provider(authorization, "alice", back_to=SERVICE)
    assert client.get(callback_path(back)).url == queue


def test_a_domain_without_single_sign_on_keeps_password_sign_in(client, council, world):
    response = client.post(reverse("accounts:sso_start"), {"email": "head@school.example"})
    assert response.status_code == 400
    assert "Sign in with your username and password" in response.content.decode()
    referrer = world.user("referrer", email="head@school.example")
    signed = client.post(
        reverse("accounts:login"), {"username": referrer.username, "password": PASSWORD}
    )
    assert signed.url == reverse("home")


def test_wrong_audience_is_refused(client, provider, settings, alice):
    settings.OIDC_PROVIDERS = {"council": provider.entry(client_id="prevent-wrong-aud")}
    response = sso_sign_in(client, "alice")
    assert response.status_code == 403
    assert "could not be signed in with your organisation" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert refusals() == [("sso_wrong_audience", "", "council")]


def test_expired_token_is_refused(client, provider, settings, alice):
    settings.OIDC_PROVIDERS = {"council": provider.entry(client_id="prevent-expired")}
    response = sso_sign_in(client, "alice")
    assert response.status_code == 403
    assert not signed_in_user(client).is_authenticated
    assert refusals() == [("sso_token_expired", "", "council")]


def test_unverified_email_is_refused(client, council, world):
    world.user("prevent_officer", email="unverified@council.example")
    response = sso_sign_in(client, "unverified")
    assert response.status_code == 403
    assert not signed_in_user(client).is_authenticated
    assert refusals() == [("sso_email_unverified", "", "council")]


def test_unknown_email_is_refused_audited_and_no_account_made(client, council, alice):
    from accounts.models import User

    before = User.objects.count()
    response = sso_sign_in(client, "stranger")
    assert response.status_code == 403
    assert not signed_in_user(client).is_authenticated
    assert User.objects.count() == before
    assert refusals() == [("sso_unknown_email", "", "council")]
    event = AuditEvent.objects.get(action="auth.sso_refused")
    assert "stranger" not in f"{event.detail}{event.reason}{event.object_id}"


def test_a_provider_vouches_only_for_its_own_domains(client, provider, settings, alice):
    settings.OIDC_PROVIDERS = {
        "council": provider.entry(),
        "police": provider.entry(name="Police", domains=["police.example"]),
    }
    authorization = client.get(reverse("accounts:sso_authenticate", args=["police"]))["Location"]
    back = sign_in_at_provider(authorization, "alice", back_to=SERVICE)
    assert client.get(callback_path(back)).status_code == 403
    assert refusals() == [("sso_domain_not_the_providers", "", "police")]


def test_mfa_not_claimed_is_refused_when_the_provider_entry_requires_it(client, council, world):
    world.user("prevent_officer", email="nomfa@council.example")
    assert sso_sign_in(client, "nomfa").status_code == 403
    assert refusals() == [("sso_mfa_not_claimed", "", "council")]


def test_without_mfa_from_the_provider_the_services_own_code_is_asked(
    client, provider, settings, world
):
    settings.MFA_REQUIRED = True
    settings.OIDC_PROVIDERS = {"council": provider.entry(mfa_required=False)}
    nomfa = world.user("prevent_officer", email="nomfa@council.example")
    response = sso_sign_in(client, "nomfa")
    assert response.url == reverse("accounts:mfa_verify")
    assert client.get(reverse("home")).url == reverse("accounts:mfa_verify")
    assert client.get(reverse("home")).wsgi_request.user == nomfa


def test_state_replay_is_refused(client, council, alice):
    back = sign_in_at_provider(start(client), "alice", back_to=SERVICE)
    assert client.get(callback_path(back)).url == reverse("home")
    client.post(reverse("accounts:logout"))
    # The same answer again, in the same browser or another: its state was used up.
    assert client.get(callback_path(back)).status_code == 403
    from django.test import Client

    assert Client().get(callback_path(back)).status_code == 403
    assert not signed_in_user(client).is_authenticated
    assert [r[0] for r in refusals()] == ["sso_unknown_state", "sso_unknown_state"]


def swap_state(back: str, authorization: str) -> str:
    """The provider's answer ``back`` with the state of another sign-in's ``authorization``."""
    query = parse_qs(urlsplit(back).query)
    query["state"] = parse_qs(urlsplit(authorization).query)["state"]
    return f"{urlsplit(back).path}?{urlencode(query, doseq=True)}"


def test_a_code_presented_with_another_sign_ins_state_is_refused(client, council, alice):
    """Two sign-ins started in one browser: the first's code with the second's state. PKCE
    binds the code to the first's verifier, so the provider refuses to exchange it."""
    first, second = start(client), start(client)
    back = sign_in_at_provider(first, "alice", back_to=SERVICE)
    assert client.get(swap_state(back, second)).status_code == 403
    assert not signed_in_user(client).is_authenticated
    assert refusals() == [("sso_code_refused", "", "council")]


def test_nonce_of_another_sign_in_is_refused(client, council, alice):
    """As above, with the second sign-in's PKCE verifier made the first's (as if PKCE were
    defeated): the ID token then carries the first's nonce, and the nonce check refuses it."""
    first, second = start(client), start(client)
    states = [parse_qs(urlsplit(url).query)["state"][0] for url in (first, second)]
    session = client.session
    entries = session["oidc_states"]
    entries[states[1]]["code_verifier"] = entries[states[0]]["code_verifier"]
    session.save()
    back = sign_in_at_provider(first, "alice", back_to=SERVICE)
    assert client.get(swap_state(back, second)).status_code == 403
    assert not signed_in_user(client).is_authenticated
    assert refusals() == [("sso_nonce_mismatch", "", "council")]


def test_refusals_lock_nobody_out_and_a_lockout_still_holds(client, council, alice):
    for _ in range(6):
        assert sso_sign_in(client, "stranger").status_code == 403
    assert not AccessAttempt.objects.exists()
    assert sso_sign_in(client, "alice").url == reverse("home")
    client.post(reverse("accounts:logout"))
    # Locked out by password failures: single sign-on is refused too, and the lock stays.
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": alice.username, "password": "x"})
    assert sso_sign_in(client, "alice").status_code == 403
    assert refusals()[-1] == ("account_locked", str(alice.pk), "council")
    assert AccessAttempt.objects.get(username=alice.username).failures_since_start == 5
    signed = client.post(
        reverse("accounts:login"), {"username": alice.username, "password": PASSWORD}
    )
    assert signed.status_code == 429
    assert "auth.sign_in" not in audit_actions(actor=alice)[-1:]
