"""Nothing answers an anonymous caller except an explicit allowlist (issue 7, Access).

Every URL pattern (walked from the root URL conf) and every API operation (from the OpenAPI
schema drf-spectacular generates) is called without signing in, with random values for its
parameters. Each must answer 401 or 403, or redirect to a sign-in page. A new endpoint is
covered without editing this file; only a deliberately public one needs adding below.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import record
from .endpoints import Endpoint, api_operations, url_endpoints

# Public on purpose, with the reason. Matched on the URL name.
ALLOWLIST = {
    "accounts:login": "the sign-in page",
    "accounts:mfa_verify": "second step of sign-in; without a half-signed-in session it "
    "sends the caller back to sign-in",
    "accounts:logout": "signing out holds nothing to protect; it shows the signed-out page",
    # Issue 20: setting a new password is for whoever cannot sign in. The pages say the same
    # for any address, and the link's page only works with the e-mailed one-time token.
    "accounts:password_reset": "asking for a link to set a new password",
    "accounts:password_reset_sent": "check your email: the same for any address",
    "accounts:password_reset_confirm": "the e-mailed one-time link; any other does not work",
    "accounts:password_reset_complete": "your password has been changed: sign in",
    # Issue 21: the mailing list's links, for people with no account; each works only with
    # the e-mailed token (any other is 410 or 404), and a GET changes nothing.
    "mailing:confirm": "the e-mailed one-time link confirming an address joins the list",
    "mailing:unsubscribe": "the unsubscribe link in every e-mail to the mailing list",
    "admin:login": "Django admin's sign-in page",
    "admin:logout": "Django admin's sign-out, as above",
    "health": "load-balancer health check; says nothing about data",
    "accessibility": "accessibility statement, which GOV.UK requires to be public",
    "privacy": "privacy notice, which must be readable before signing in",
    # Issue 20 (/metrics is not here: it answers 403 without the monitoring token or network).
    "healthz": "load-balancer liveness check; says only that the process answers",
    "readyz": "load-balancer readiness check; names a dependency that is down, nothing more",
    # Issue 20, single sign-on: how someone not yet signed in starts signing in with their
    # organisation's provider (its answer, accounts:sso_callback, refuses any state this
    # browser's session did not start: 403).
    "accounts:sso_start": "the work address that chooses the organisation's sign-in",
    "accounts:sso_authenticate": "sends the browser to the chosen organisation's provider",
    # Issue 19: the language toggle is on the sign-in page too; it sets a cookie, nothing more.
    "set_language": "choosing English or Cymraeg; sets the language cookie and goes back",
}
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _requires_sign_in(response) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlparse(response["Location"]).path
        return target.startswith(LOGIN_PATHS) or target == reverse(settings.LOGIN_URL)
    return False


def _call(client: Client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, data=b"{}", content_type="application/json")


def _check(endpoint: Endpoint) -> list[str]:
    client = Client()
    url = endpoint.fill()
    problems, guarded = [], False
    for method in endpoint.methods:
        response = _call(client, method, url)
        if _requires_sign_in(response):
            guarded = True
        elif response.status_code != 405:
            problems.append(f"{method} {url} ({endpoint.name}) -> {response.status_code}")
    if not guarded and not problems:
        problems.append(f"{url} ({endpoint.name}) never asked for sign-in")
    return problems


URLS = url_endpoints()
OPERATIONS = api_operations()


def test_the_walk_finds_the_endpoints_we_know():
    names = {e.name for e in URLS}
    assert {"referrals:detail", "channel:case", "api:referral-detail", "schema"} <= names
    assert len(URLS) > 100
    assert len(OPERATIONS) > 30
    assert set(ALLOWLIST) <= names, "an allowlisted name no longer exists"


@pytest.mark.django_db
def test_every_url_pattern_requires_sign_in():
    problems = []
    for endpoint in URLS:
        if endpoint.name in ALLOWLIST:
            continue
        problems += _check(endpoint)
    record("URL patterns checked anonymously", len(URLS) - len(ALLOWLIST))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_api_operation_requires_sign_in():
    problems = []
    for endpoint in OPERATIONS:
        problems += _check(endpoint)
    record("API operations checked anonymously", len(OPERATIONS))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_allowlisted_pages_really_are_public():
    client = Client()
    filled = {e.name: e.fill() for e in URLS}
    for name in ALLOWLIST:
        url = filled[name]
        response = client.get(url)
        assert response.status_code in (200, 302, 405), (name, response.status_code)
        assert response.status_code != 405 or client.post(url).status_code in (200, 302)
