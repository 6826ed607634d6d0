"""E-mails about accounts. Tasks take ids and codes only and carry no personal details."""

from django.urls import reverse

from prevent_cms.jobs import email_task
from prevent_cms.notifications import Kind, notification_send, site_link

from .models import Role, User

ACCESS_CHANGED_SUBJECT = "Prevent case management: an account’s access was changed"
# What changed, in words; never whose account or who changed it (the audit trail says).
ACCESS_CHANGED_SENTENCES = {
    "user.roles_changed": "An administrator changed the roles of an account.",
    "user.agency_changed": "An administrator changed the agency of an account.",
    "user.activated": "An administrator activated an account.",
    "user.deactivated": "An administrator deactivated an account.",
    "user.staff_changed": "An administrator changed the administration rights of an account.",
}
ACCESS_CHANGED_BODY = "{what}\n\nSign in to see the audit trail: {link}"


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
    what = "\n".join(known)
    path = reverse("audit_export")
    return notification_send(
        kind=Kind.ACCESS_CHANGED,
        recipients=recipients,
        subject=ACCESS_CHANGED_SUBJECT,
        body=ACCESS_CHANGED_BODY.format(what=what, link=site_link(path)),
        path=path,
    )
