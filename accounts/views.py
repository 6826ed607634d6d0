"""Sign-in, multi-factor enrolment and verification, keep-alive, sign-out, own API token,
and setting a new password from an e-mailed link."""

import base64
from io import BytesIO
from urllib.parse import parse_qs, urlencode, urlsplit

import qrcode
import qrcode.image.svg
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View, i18n
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.views import OIDCAuthenticationRequestView
from rest_framework.authtoken.models import Token

from prevent_cms.audit import audit_record

from . import sso
from .authentication import INACTIVE, LOCKED
from .forms import (
    NewPasswordForm,
    OneTimeCodeForm,
    PasswordResetRequestForm,
    SignInForm,
    SingleSignOnForm,
)
from .middleware import mfa_satisfied, session_activity_record
from .services import (
    password_reset_request,
    token_expired,
    token_expires_at,
    token_issue,
    token_lifetime,
    token_renew,
    token_revoke,
    user_set_language,
)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        signed_out = self.request.GET.get("signed_out")
        context["timed_out"] = self.request.GET.get("timeout") == "1" or signed_out == INACTIVE
        # Sent here by AccountStandingMiddleware after ending a locked-out person's session.
        context["locked_out"] = signed_out == LOCKED
        context.setdefault("sso_form", SingleSignOnForm())
        context["sso_providers"] = sorted(sso.providers().values(), key=lambda p: p.name)
        return context

    def render_to_response(self, context, **response_kwargs):
        return sso.allow_form_action(super().render_to_response(context, **response_kwargs))

    def form_valid(self, form):
        response = super().form_valid(form)
        if settings.MFA_REQUIRED:
            return redirect("accounts:mfa_verify")
        return response


def locked_out(request, credentials=None, *args, **kwargs):
    """What django-axes shows once a username is locked. Same for real and unknown names."""
    form = SignInForm(request)
    response = render(
        request, "accounts/login.html", {"form": form, "locked_out": True}, status=429
    )
    return sso.allow_form_action(response)


@login_required
def mfa_verify(request):
    if mfa_satisfied(request):
        return redirect("home")
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect("accounts:mfa_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["otp_token"]):
                otp_login(request, device)
                audit_record(actor=request.user, action="auth.mfa_verified", obj=request.user)
                return redirect(settings.LOGIN_REDIRECT_URL)
        audit_record(actor=request.user, action="auth.mfa_failed", obj=request.user)
        form.add_error(
            "otp_token", _("The security code is not right. Check your app and try again")
        )
    return render(request, "accounts/mfa_verify.html", {"form": form})


@login_required
def mfa_setup(request):
    """Enrol an authenticator app: show a QR code and key, confirm with a first code."""
    if any(devices_for_user(request.user, confirmed=True)):
        return redirect("accounts:mfa_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(actor=request.user, action="auth.mfa_enrolled", obj=request.user)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error(
            "otp_token", _("The security code is not right. Check your app and try again")
        )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    qr_data_uri = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_data_uri": qr_data_uri,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/mfa_setup.html", context)


@require_POST
@login_required
def keep_alive(request):
    """Extend the idle session: the last activity is written now, whenever it was last
    written (the middleware writes it at most once a ``SESSION_ACTIVITY_RECORD_SECONDS``)."""
    session_activity_record(request.session)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    next_url = request.POST.get("next", "")
    # Only a path on this site, sent as a URL: ``redirect()`` would take a bare word such as
    # ``id`` for a view name and fail (500) when no view has it.
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(next_url)
    return redirect(settings.LOGIN_REDIRECT_URL)


@require_POST
def sign_out(request):
    logout(request)
    return render(request, "accounts/signed_out.html")


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """The person's own API token: when it expires; issue, renew or revoke it.

    The same services as ``/api/v1/auth/token/``, for people without an API client at hand.
    A new key is shown once, in the answer to the POST, and never put in a URL or the session.
    """
    key = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "issue":
        key = token_issue(actor=request.user).key
        messages.success(request, _("Your new API token is below. Copy it now."))
    elif action == "renew":
        try:
            key = token_renew(actor=request.user).key
            messages.success(request, _("Your API token was renewed. Copy the new key now."))
        except Token.DoesNotExist:
            messages.error(request, _("Your API token has expired. Issue a new one."))
    elif action == "revoke":
        if token_revoke(actor=request.user, user_id=request.user.pk):
            messages.success(request, _("Your API token was revoked."))
        return redirect("accounts:api_token")
    token = Token.objects.filter(user=request.user).first()
    context = {
        "key": key,
        "token": token,
        "expires": token_expires_at(token=token) if token else None,
        "expired": token_expired(token=token) if token else False,
        "lifetime_days": token_lifetime().days,
    }
    response = render(request, "accounts/api_token.html", context)
    response["Cache-Control"] = "no-store"
    return response


# --- Forgotten password (issue 20) ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a link to set a new password. Whatever the address, the next page is the same."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_sent")
    context = {"form": form, "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    return render(
        request, "accounts/password_reset.html", context, status=400 if form.errors else 200
    )


def password_reset_sent(request):
    return render(
        request,
        "accounts/password_reset_sent.html",
        {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's check of the link (once, within ``PASSWORD_RESET_TIMEOUT``; it moves the
    token out of the URL into the session before showing the form, so it never leaks in a
    Referer), then the new password through ``NewPasswordForm``. Never signs in: MFA and any
    lockout still apply at the next sign-in."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    post_reset_login = False
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def password_reset_complete(request):
    return render(request, "accounts/password_reset_complete.html")


# --- Single sign-on with the organisation's OpenID provider (issue 20) -----------------------


def _sign_in_page(request, *, sso_form=None, sso_refused=False, status=200):
    context = {
        "form": SignInForm(request),
        "next": request.POST.get("next", ""),
        "sso_form": sso_form or SingleSignOnForm(),
        "sso_providers": sorted(sso.providers().values(), key=lambda p: p.name),
        "sso_refused": sso_refused,
    }
    return sso.allow_form_action(render(request, "accounts/login.html", context, status=status))


@require_http_methods(["GET", "POST"])
def sso_start(request):
    """The work address typed on the sign-in page chooses the organisation's provider."""
    if request.method == "GET":
        return redirect("accounts:login")
    form = SingleSignOnForm(request.POST)
    if form.is_valid():
        provider = sso.provider_for_email(form.cleaned_data["email"])
        if provider is not None:
            target = reverse("accounts:sso_authenticate", args=[provider.code])
            next_url = request.POST.get("next", "")  # checked by the library, as on a link
            return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
        form.add_error(
            "email",
            _(
                "Your organisation does not sign in to this service with its own account. "
                "Sign in with your username and password"
            ),
        )
    return _sign_in_page(request, sso_form=form, status=400)


class SsoAuthenticationRequestView(OIDCAuthenticationRequestView):
    """mozilla-django-oidc's authorization request (state, nonce, PKCE in the session) sent to
    the chosen provider; the provider's code is kept with that state, so the answer is
    checked against the provider it was sent to and no other."""

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the library's reads one provider's settings

    def get_settings(self, attr, *args):  # type: ignore[override]
        own = {
            "OIDC_RP_SCOPES": self.provider.scopes,
            "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:sso_callback",
            "OIDC_USE_NONCE": True,
            "OIDC_USE_PKCE": True,
            "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
            "OIDC_REDIRECT_FIELD_NAME": "next",
        }
        if attr in own:
            return own[attr]
        return OIDCAuthenticationRequestView.get_settings(attr, *args)

    def get(self, request, provider):
        self.provider = sso.providers().get(provider)
        if self.provider is None:  # no longer offered: choose again
            return redirect("accounts:login")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.provider.metadata()["authorization_endpoint"]
        except (requests.RequestException, KeyError, ValueError):
            sso.sign_on_refused(provider=self.provider.code, reason=sso.PROVIDER_ERROR)
            return _sign_in_page(request, sso_refused=True, status=502)
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        request.session["oidc_states"][state]["provider"] = self.provider.code
        request.session.modified = True
        return response


@require_http_methods(["GET"])
def sso_callback(request):
    """The provider's answer: the state is used once (whatever follows), then the code is
    exchanged and the ID token and address checked (``accounts.sso``). Signs in with
    ``login`` directly, never ``authenticate``: django-axes neither counts a refusal here nor
    lifts a lockout (a locked-out account is refused)."""
    state = request.GET.get("state", "")
    entry = (request.session.get("oidc_states") or {}).pop(state, None)
    request.session.modified = True
    provider = sso.providers().get((entry or {}).get("provider", ""))
    if entry is None or provider is None:
        sso.sign_on_refused(provider="", reason=sso.UNKNOWN_STATE)
        return _sign_in_page(request, sso_refused=True, status=403)
    request.session.save()
    user = None
    try:
        if request.GET.get("error") or not request.GET.get("code"):
            raise sso.SsoRefused(sso.PROVIDER_ERROR)
        backend = sso.ProviderBackend(provider)
        user = backend.authenticate(
            request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
        if user is None:
            raise sso.SsoRefused(sso.TOKEN_INVALID)
    except sso.SsoRefused as refused:
        sso.sign_on_refused(provider=provider.code, reason=refused.reason, user_id=refused.user_id)
        return _sign_in_page(request, sso_refused=True, status=403)
    except requests.HTTPError as error:
        # The provider would not exchange the code (RFC 6749 §5.2: 400, or 401 for a client
        # it does not know): used already, expired, or not this sign-in's (PKCE).
        status = error.response.status_code if error.response is not None else 502
        refused = status in (400, 401)
        sso.sign_on_refused(
            provider=provider.code, reason=sso.CODE_REFUSED if refused else sso.PROVIDER_ERROR
        )
        return _sign_in_page(request, sso_refused=True, status=403 if refused else 502)
    except (requests.RequestException, KeyError, ValueError):
        sso.sign_on_refused(provider=provider.code, reason=sso.PROVIDER_ERROR)
        return _sign_in_page(request, sso_refused=True, status=502)
    # Where the sign-in started from (checked by the library when it was asked for).
    next_url = request.session.get("oidc_login_next")
    login(request, user, backend="accounts.backends.ModelBackendWithAgency")
    request.session[sso.SESSION_PROVIDER] = provider.code
    if user.sso_mfa:
        request.session[sso.SESSION_MFA_BY_PROVIDER] = True
    sso.sign_on_succeeded(user=user, provider=provider.code)
    if settings.MFA_REQUIRED and not user.sso_mfa:
        return redirect("accounts:mfa_verify")
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@require_POST
def set_language(request):
    """The English | Cymraeg toggle: Django's ``set_language`` (the cookie, and back to the
    page), and for someone signed in their choice kept on their account too, so that it holds
    on every device (``PersonLanguageMiddleware`` would otherwise put the old one back)."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(actor=request.user, language=language)
    return response
