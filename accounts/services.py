"""Every change to what an account may do: its roles, agency, active state, staff flags, API token.

A person's access is the thing an insider would change to read more than their job allows, so
each change here is one transaction that checks the rules, writes an audit event against the
account (by ids and role codes only, so the person's audit export shows it) and, for access
changes, queues a content-free e-mail to the other system administrators after commit.
The admin screens, ``seed_demo`` and the API call these; nothing else writes ``RoleGrant``
rows or tokens for people.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from types import EllipsisType
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from prevent_cms.audit import audit_record
from prevent_cms.models import AuditEvent
from prevent_cms.outbox import outbox_enqueue

from . import tasks
from .models import SYSTEM_ADMIN_ALONE, Agency, Role, RoleGrant, User

# What an access change may touch, and the audit event each one writes.
ACCESS_EVENTS = {
    "roles": "user.roles_changed",
    "agency": "user.agency_changed",
    "active": "user.activated",  # or user.deactivated
    "staff": "user.staff_changed",
}


def _is_admin(actor: User | None) -> bool:
    return actor is not None and actor.is_active and actor.has_role(Role.SYSTEM_ADMIN)


def user_roles_check(*, actor: User | None, user: User, roles: Iterable[str]) -> list[str]:
    """The roles ``user`` would hold, sorted; raises ``ValidationError`` if that is not allowed.

    Shared by the service and the admin form, so the form shows the same refusal the service
    would raise. ``actor`` is ``None`` only for a management command run by an operator.

    - Nobody changes their own roles: a system administrator who could grant themselves a
      case role could read the whole force.
    - ``system_admin`` is held alone: the administrator has no case access (DESIGN.md §3), so
      a second role would give it back to the person who manages everyone's access.
    """
    wanted = sorted(set(roles))
    unknown = set(wanted) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Select roles from the list")})
    current = set(RoleGrant.objects.filter(user_id=user.pk).values_list("role", flat=True))
    if actor is not None and user.pk == actor.pk and set(wanted) != current:
        raise ValidationError(
            {
                "roles": _(
                    "You cannot change your own roles. Ask another system administrator "
                    "to do it, so that every change of access is made by a second person."
                )
            }
        )
    if Role.SYSTEM_ADMIN in wanted and len(wanted) > 1:
        raise ValidationError({"roles": SYSTEM_ADMIN_ALONE})
    return wanted


@transaction.atomic
def user_access_set(
    *,
    actor: User | None,
    user_id: UUID | str,
    roles: Iterable[str] | None = None,
    agency: Agency | None | EllipsisType = ...,
    is_active: bool | None = None,
    is_staff: bool | None = None,
    is_superuser: bool | None = None,
) -> list[str]:
    """Change what an account may do; returns the audit actions written (empty: no change).

    Only a system administrator may call it from a request; ``actor=None`` is a management
    command run by an operator (``seed_demo``). Arguments left out (``None``, or ``...`` for
    ``agency``, which may be set to ``None``) are not changed. Each kind of change writes
    its own audit event against the account, in this transaction, and the other active
    system administrators are told by e-mail once it commits.
    """
    if actor is not None and not _is_admin(actor):
        raise PermissionDenied(_("Only a system administrator may change people’s access."))
    user = User.objects.select_for_update().get(pk=user_id)
    written: list[str] = []

    if roles is not None:
        wanted = user_roles_check(actor=actor, user=user, roles=roles)
        current = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        added, removed = sorted(set(wanted) - current), sorted(current - set(wanted))
        if added or removed:
            RoleGrant.objects.filter(user=user, role__in=removed).delete()
            RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role) for role in added])
            written.append(
                _audit(
                    actor,
                    user,
                    "user.roles_changed",
                    {"added": added, "removed": removed, "roles": wanted},
                )
            )

    if agency is not ... and (agency.pk if agency else None) != user.agency_id:
        detail = {
            "from": str(user.agency_id) if user.agency_id else None,
            "to": str(agency.pk) if agency else None,
        }
        user.agency = agency
        user.save(update_fields=["agency"])
        written.append(_audit(actor, user, "user.agency_changed", detail))

    if is_active is not None and is_active != user.is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        written.append(_audit(actor, user, "user.activated" if is_active else "user.deactivated"))

    flags = {"is_staff": is_staff, "is_superuser": is_superuser}
    changed = {k: v for k, v in flags.items() if v is not None and v != getattr(user, k)}
    if changed:
        before = {k: getattr(user, k) for k in changed}
        for field, value in changed.items():
            setattr(user, field, value)
        user.save(update_fields=list(changed))
        written.append(_audit(actor, user, "user.staff_changed", {"from": before, "to": changed}))

    if written:
        outbox_enqueue(
            tasks.send_access_changed_email,
            str(actor.pk) if actor is not None else "",
            sorted(set(written)),
        )
    return written


def _audit(actor: User | None, user: User, action: str, detail: dict | None = None) -> str:
    audit_record(actor=actor, action=action, obj=user, detail=detail)
    return action


# --- API tokens ---------------------------------------------------------------------------


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "API_TOKEN_LIFETIME_DAYS", 30))


def token_expires_at(*, token: Token) -> datetime.datetime:
    """A token lasts ``API_TOKEN_LIFETIME_DAYS`` from when it was issued or last renewed."""
    return token.created + token_lifetime()


def token_expired(*, token: Token) -> bool:
    return timezone.now() >= token_expires_at(token=token)


@transaction.atomic
def token_issue(*, actor: User) -> Token:
    """Give the signed-in person a new API token, replacing any they had.

    Issued only to a person signed in to the service (with MFA where it applies): a token is
    a second way in, so it comes from the first. The key is shown once to its owner and
    never audited or logged.
    """
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Sign in to use this service."))
    replaced = Token.objects.filter(user=actor).delete()[0] > 0
    token = Token.objects.create(user=actor)
    audit_record(actor=actor, action="token.issued", obj=actor, detail={"replaced": bool(replaced)})
    return token


@transaction.atomic
def token_renew(*, actor: User) -> Token:
    """Swap the caller's unexpired token for a new key with a fresh lifetime.

    The key changes on renewal, so a copy of the old key that leaked stops working too.
    An expired token cannot be renewed: its owner signs in and issues a new one.
    """
    token = Token.objects.select_for_update().filter(user=actor).first()
    if token is None or token_expired(token=token):
        raise Token.DoesNotExist
    token.delete()
    renewed = Token.objects.create(user=actor)
    audit_record(actor=actor, action="token.renewed", obj=actor)
    return renewed


@transaction.atomic
def token_revoke(*, actor: User, user_id: UUID | str) -> bool:
    """End a person's API token: by its owner, or by a system administrator. False if none."""
    if str(actor.pk) != str(user_id) and not _is_admin(actor):
        raise PermissionDenied(_("Only a system administrator may revoke another person’s token."))
    deleted = Token.objects.filter(user_id=user_id).delete()[0] > 0
    if deleted:
        audit_record(
            actor=actor,
            action="token.revoked",
            object_type="accounts.user",
            object_id=str(user_id),
            detail={"by": "owner" if str(actor.pk) == str(user_id) else "admin"},
        )
    return deleted


# --- Self-service password reset (issue 20) -------------------------------------------------

RESET_LINK_REQUESTED = "user.password_reset_requested"
RESET_LINK_NO_ACCOUNT = "auth.password_reset_no_account"
RESET_LINK_HELD_BACK = "user.password_reset_held_back"
RESET_LINKS_PER_HOUR = 3
RESET_LINK_USED = "user.password_reset"


def password_reset_accounts(*, email: str) -> list[User]:
    """The accounts a reset link may go to: active, signing in with a password (an account
    without one signs in another way), with exactly this e-mail address, any case."""
    address = (email or "").strip()
    if not address:
        return []
    users = User.objects.filter(email__iexact=address, is_active=True)
    return [user for user in users if user.has_usable_password()]


@transaction.atomic
def password_reset_request(*, email: str) -> int:
    """Send a one-time link to set a new password to each password account with ``email``.

    Whoever asks learns nothing: the page answers the same whether or not the address has an
    account, and the link is made and sent by the e-mail task after the answer, so neither
    the words nor the time taken tell (who works on Prevent cases is itself sensitive). The
    task is given the account's id only: no address and no secret sits in the queue. The
    link works once (it is signed with the current password) and for
    ``PASSWORD_RESET_TIMEOUT`` (30 minutes) from when it is sent.

    Audited against each account; a request for no account is audited without the address
    (personal data of whoever typed it). A lockout (django-axes) is neither counted nor
    lifted by asking. At most ``RESET_LINKS_PER_HOUR`` links go to one account in an hour,
    so nobody can flood a colleague's mailbox by asking again and again; a request past it
    is audited as such and answered the same. Returns how many links are on their way.
    """
    accounts = password_reset_accounts(email=email)
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    sent = 0
    for user in accounts:
        recent = AuditEvent.objects.filter(
            action=RESET_LINK_REQUESTED, object_id=str(user.pk), at__gte=hour_ago
        ).count()
        if recent >= RESET_LINKS_PER_HOUR:
            audit_record(actor=None, action=RESET_LINK_HELD_BACK, obj=user)
            continue
        audit_record(actor=None, action=RESET_LINK_REQUESTED, obj=user)
        outbox_enqueue(tasks.send_password_reset_email, str(user.pk))
        sent += 1
    if not accounts:
        audit_record(actor=None, action=RESET_LINK_NO_ACCOUNT)
    return sent


@transaction.atomic
def password_reset_complete(*, actor: User, password: str) -> User:
    """Set ``actor``'s new password from a reset link already checked (Django's
    ``PasswordResetConfirmView`` checks the link and the password rules), audited. Every
    other session of the account ends, as a changed password ends them; MFA is still asked
    at the next sign-in, and a lockout stays until it runs out."""
    actor.set_password(password)
    actor.save(update_fields=["password"])
    audit_record(actor=actor, action=RESET_LINK_USED, obj=actor)
    return actor


def user_set_language(*, actor: User, language: str) -> None:
    """Remember the language ``actor`` chose (a code of ``settings.LANGUAGES``), so every
    browser they sign in to shows it (``accounts.middleware.PersonLanguageMiddleware``).
    A preference, not a disclosure: not audited."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Select English or Cymraeg")})
    User.objects.filter(pk=actor.pk).update(language=language)
    actor.language = language
