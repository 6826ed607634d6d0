"""Audit sign-ins, failed sign-ins and sign-outs (DESIGN.md: deny by default, audit always).

Receivers only record; the rules live in services. Attempted usernames are never stored:
a failed attempt names the account only when one exists, by its opaque id.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from prevent_cms.audit import audit_record


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session["signed_in_at"] = timezone.now().timestamp()
    audit_record(actor=user, action="auth.sign_in", obj=user)


@receiver(user_logged_out)
def audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "sign_out_reason", "") if request is not None else ""
        audit_record(actor=user, action="auth.sign_out", obj=user, reason=reason)


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username") or ""
    user = get_user_model().objects.filter(username=username).only("pk").first()
    audit_record(
        actor=None,
        action="auth.sign_in_failed",
        object_type="accounts.user" if user else "",
        object_id=str(user.pk) if user else "",
    )
