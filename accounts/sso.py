"""Single sign-on with an organisation's OpenID Connect provider (issue 20).

mozilla-django-oidc does the protocol: the authorization-code request with state, nonce and
PKCE, the code exchange, the JWKS lookup and the ID token's signature. This module adds what
the library leaves to its user:

- several providers, one per organisation (``OIDC_PROVIDERS``), each with its own client and
  its e-mail domains; the provider is chosen by the domain typed on the sign-in page or by an
  explicit choice, and bound to the state of that one sign-in;
- the ID token's audience and issuer checked (the library checks neither), its expiry too;
- a provider may only vouch for addresses in its own domains, and only verified ones;
- the verified address maps to an EXISTING active account, never creates one; roles stay this
  application's (``RoleGrant``), whatever the token claims;
- MFA is the provider's when its entry says so: the ID token must then claim it (``amr`` or
  ``acr``), and the session counts as verified; otherwise this application's own one-time
  code is still asked (``MFA_REQUIRED``);
- every refusal is audited with a code (never the address), and sign-in goes through
  ``django.contrib.auth.login`` but not through ``authenticate``: the password backends and
  django-axes never see a single sign-on attempt, so refusals here lock nobody out and a
  username locked out by password failures stays locked (refused here too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from prevent_cms.audit import audit_record

from .authentication import account_refusal
from .models import User

# Why a single sign-on was refused: the audit event's reason, and nothing personal.
UNKNOWN_STATE = "sso_unknown_state"
TOKEN_INVALID = "sso_token_invalid"  # noqa: S105 (a reason code, not a secret)
WRONG_AUDIENCE = "sso_wrong_audience"
TOKEN_EXPIRED = "sso_token_expired"  # noqa: S105 (a reason code, not a secret)
NONCE_MISMATCH = "sso_nonce_mismatch"
PROVIDER_ERROR = "sso_provider_error"
CODE_REFUSED = "sso_code_refused"
NO_EMAIL = "sso_no_email"
EMAIL_UNVERIFIED = "sso_email_unverified"
FOREIGN_DOMAIN = "sso_domain_not_the_providers"
UNKNOWN_EMAIL = "sso_unknown_email"
AMBIGUOUS_EMAIL = "sso_ambiguous_email"
MFA_MISSING = "sso_mfa_not_claimed"
SUBJECT_MISMATCH = "sso_subject_mismatch"

SIGNED_IN = "auth.sso_sign_in"
REFUSED = "auth.sso_refused"

# In the session after a sign-in whose provider claimed MFA: the one-time code is not asked.
SESSION_MFA_BY_PROVIDER = "sso_mfa"
SESSION_PROVIDER = "sso_provider"

DISCOVERY_SECONDS = 60 * 60


class SsoRefused(Exception):
    """A single sign-on attempt turned away; ``reason`` is one of the codes above."""

    def __init__(self, reason: str, *, user_id: Any = None):
        super().__init__(reason)
        self.reason = reason
        self.user_id = user_id


@dataclass(frozen=True)
class Provider:
    """One organisation's OpenID provider, from an ``OIDC_PROVIDERS`` entry."""

    code: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    domains: tuple[str, ...]
    mfa_required: bool = False
    mfa_amr: tuple[str, ...] = ("mfa",)
    mfa_acr: tuple[str, ...] = ()
    email_verified_claim: str = "email_verified"
    sign_algo: str = "RS256"
    scopes: str = "openid email"
    extra: dict = field(default_factory=dict)

    def metadata(self) -> dict:
        """The provider's discovery document (kept an hour): its endpoints and issuer."""
        key = f"oidc-discovery:{self.issuer}"
        document = cache.get(key)
        if document is None:
            response = requests.get(
                self.issuer.rstrip("/") + "/.well-known/openid-configuration",
                timeout=settings.OIDC_TIMEOUT_SECONDS,
            )
            response.raise_for_status()
            document = response.json()
            cache.set(key, document, DISCOVERY_SECONDS)
        return document

    def mfa_claimed(self, claims: dict) -> bool:
        amr = claims.get("amr") or []
        if isinstance(amr, str):
            amr = [amr]
        return bool(set(amr) & set(self.mfa_amr)) or claims.get("acr") in self.mfa_acr


def providers() -> dict[str, Provider]:
    """Every configured provider by its code (``OIDC_PROVIDERS``, README settings table)."""
    found = {}
    for code, entry in (settings.OIDC_PROVIDERS or {}).items():
        found[code] = Provider(
            code=code,
            name=entry.get("name", code),
            issuer=entry["issuer"],
            client_id=entry["client_id"],
            client_secret=entry.get("client_secret", ""),
            domains=tuple(d.lower() for d in entry.get("domains", [])),
            mfa_required=bool(entry.get("mfa_required", False)),
            mfa_amr=tuple(entry.get("mfa_amr", ["mfa"])),
            mfa_acr=tuple(entry.get("mfa_acr", [])),
            email_verified_claim=entry.get("email_verified_claim", "email_verified"),
            sign_algo=entry.get("sign_algo", "RS256"),
            scopes=entry.get("scopes", "openid email"),
        )
    return found


def allow_form_action(response):
    """The sign-in page's forms may lead to the providers: the address form's answer redirects
    to one, and browsers hold every redirect after a form submission to the page's CSP
    ``form-action`` (``'self'`` alone otherwise). Each provider's issuer origin is added for
    this page only; its authorization endpoint must be on that origin (Entra ID's is)."""
    origins = sorted({_origin(p.issuer) for p in providers().values()})
    if origins:
        response._csp_update = {"form-action": origins}
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def provider_for_email(email: str) -> Provider | None:
    """The provider of the organisation whose e-mail domain ``email`` has, if it has one."""
    domain = email.strip().rpartition("@")[2].lower()
    if not domain:
        return None
    return next((p for p in providers().values() if domain in p.domains), None)


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend for one provider, never creating an account.

    Not in ``AUTHENTICATION_BACKENDS``: only the sign-on callback calls it, so the password
    form's ``authenticate`` (and django-axes behind it) never reaches a provider.
    """

    def __init__(self, provider: Provider):
        self.provider = provider
        self.metadata = provider.metadata()
        super().__init__()

    def get_settings(self, attr, *args):  # type: ignore[override]
        own = {
            "OIDC_OP_TOKEN_ENDPOINT": self.metadata["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.metadata["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.metadata["jwks_uri"],
            "OIDC_RP_CLIENT_ID": self.provider.client_id,
            "OIDC_RP_CLIENT_SECRET": self.provider.client_secret,
            "OIDC_RP_SIGN_ALGO": self.provider.sign_algo,
            "OIDC_RP_IDP_SIGN_KEY": None,
            "OIDC_RP_SCOPES": self.provider.scopes,
            "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:sso_callback",
            "OIDC_CREATE_USER": False,
            "OIDC_USE_NONCE": True,
            "OIDC_TIMEOUT": settings.OIDC_TIMEOUT_SECONDS,
        }
        if attr in own:
            return own[attr]
        return super().get_settings(attr, *args)

    def _verify_jws(self, payload, key):
        """The signature (as the library), and what it leaves out: the token is for this
        application (``aud``), from this provider (``iss``), and not expired."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SsoRefused(TOKEN_INVALID)
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.metadata["issuer"],
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except jwt.InvalidAudienceError as error:
            raise SsoRefused(WRONG_AUDIENCE) from error
        except jwt.ExpiredSignatureError as error:
            raise SsoRefused(TOKEN_EXPIRED) from error
        except jwt.InvalidTokenError as error:
            raise SsoRefused(TOKEN_INVALID) from error

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as error:
            # The library's nonce check (a token from another sign-in) or a missing key.
            reason = NONCE_MISMATCH if "Nonce" in str(error) else TOKEN_INVALID
            raise SsoRefused(reason) from error

    def get_or_create_user(self, access_token, id_token, payload):
        """The one existing, active account with the verified address the provider vouches
        for, in one of its own domains; with MFA claimed when the provider's entry says so."""
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SsoRefused(SUBJECT_MISMATCH)
        email = (claims.get("email") or "").strip()
        if not email:
            raise SsoRefused(NO_EMAIL)
        verified = claims.get(self.provider.email_verified_claim)
        if verified is not True and verified != "true":
            raise SsoRefused(EMAIL_UNVERIFIED)
        if email.rpartition("@")[2].lower() not in self.provider.domains:
            raise SsoRefused(FOREIGN_DOMAIN)
        if self.provider.mfa_required and not self.provider.mfa_claimed(payload):
            raise SsoRefused(MFA_MISSING)
        users = list(User.objects.filter(email__iexact=email)[:2])
        if not users:
            raise SsoRefused(UNKNOWN_EMAIL)
        if len(users) > 1:
            raise SsoRefused(AMBIGUOUS_EMAIL)
        user = users[0]
        refusal = account_refusal(user=user, request=self.request)
        if refusal:
            raise SsoRefused(refusal, user_id=user.pk)
        # MFA is the provider's only where its entry requires it (and it was claimed above).
        user.sso_mfa = self.provider.mfa_required
        return user


def sign_on_refused(*, provider: str, reason: str, user_id: Any = None) -> None:
    """Audit a refused single sign-on: the provider and why, the account only by its id (when
    one was found), never the address the provider sent."""
    audit_record(
        actor=None,
        action=REFUSED,
        object_type="accounts.user" if user_id else "",
        object_id=str(user_id or ""),
        reason=reason,
        detail={"provider": provider},
    )


def sign_on_succeeded(*, user: User, provider: str) -> None:
    """Audit a single sign-on (beside ``auth.sign_in``, which every sign-in records): which
    provider, and whether it stood for this service's MFA."""
    audit_record(
        actor=user,
        action=SIGNED_IN,
        obj=user,
        detail={"provider": provider, "mfa_by_provider": user.sso_mfa},
    )
