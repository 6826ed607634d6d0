"""E-mails about accounts. Tasks take ids and codes only and carry no personal details."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from prevent_cms.jobs import email_task
from prevent_cms.notifications import (
    Kind,
    language_of,
    notification_send,
    notification_send_secret_link,
    site_link,
)

from .models import Role, User

ACCESS_CHANGED_SUBJECT = _("Prevent case management: an account’s access was changed")
# What changed, in words; never whose account or who changed it (the audit trail says).
ACCESS_CHANGED_SENTENCES = {
    "user.roles_changed": _("An administrator changed the roles of an account."),
    "user.agency_changed": _("An administrator changed the agency of an account."),
    "user.activated": _("An administrator activated an account."),
    "user.deactivated": _("An administrator deactivated an account."),
    "user.staff_changed": _("An administrator changed the administration rights of an account."),
}
ACCESS_CHANGED_BODY = _("%(what)s\n\nSign in to see the audit trail: %(link)s")


class _Joined:
    """Sentences, one a line, worded when the message is (in its reader's language)."""

    def __init__(self, sentences):
        self.sentences = sentences

    def __str__(self) -> str:
        return "\n".join(str(sentence) for sentence in self.sentences)


@email_task
def send_access_changed_email(actor_id: str, actions: list[str]) -> int:
    """Tell the other active system administrators that someone's access changed.

    A second pair of eyes on every change of access: an administrator who grants an account
    more than it should have is seen by the others. The mail names no one (whose account and
    who changed it are in the audit trail, behind sign-in). May run twice (one more mail).
    """
    recipients = set(
        User.objects.filter(is_active=True, role_grants__role=Role.SYSTEM_ADMIN).exclude(
            pk=actor_id or None
        )
    )
    known = [text for action, text in ACCESS_CHANGED_SENTENCES.items() if action in actions]
    if not recipients or not known:
        return 0
    path = reverse("audit_export")
    return notification_send(
        kind=Kind.ACCESS_CHANGED,
        recipients=recipients,
        subject=ACCESS_CHANGED_SUBJECT,
        body=ACCESS_CHANGED_BODY,
        # The sentences are worded with the message, in each administrator’s language.
        values={"what": _Joined(known), "link": site_link(path)},
        path=path,
    )


# Not a notification ``Kind``: it is the answer to someone who cannot sign in
# (``notification_send_secret_link``); GOV.UK Notify sends it from this kind's template.
RESET_LINK_KIND = "password_reset"
RESET_LINK_SUBJECT = _("Prevent case management: set a new password")
RESET_LINK_BODY = _(
    "Someone asked to set a new password for your Prevent case management account.\n\n"
    "Use this link within %(minutes)s minutes to choose a new one. It works once:\n\n"
    "%(link)s\n\n"
    "If you did not ask, you can ignore this e-mail: your password has not changed."
)


@email_task
def send_password_reset_email(user_id: str) -> int:
    """E-mail a password account its one-time link to set a new password (issue 20).

    The link is made here, when the mail leaves, so its 30 minutes run from then and no
    secret is ever in the queue. No in-app row: whoever needs it cannot sign in. A retry or
    redelivery sends a second link; either works once, and using one spends the other (both
    are signed with the password they replace). Nothing is sent to an account made
    inactive, or given another way to sign in, since it asked.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return 0
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    values = {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60, "link": site_link(path)}
    with translation.override(language_of(user)):  # in the account holder's language
        subject, body = str(RESET_LINK_SUBJECT), RESET_LINK_BODY % values
    return notification_send_secret_link(
        kind=RESET_LINK_KIND, address=user.email, subject=subject, body=body, path=path
    )
