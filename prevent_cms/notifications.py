"""The one place the service tells someone something: e-mail and the in-app list together.

Every e-mail the system sends goes through ``notification_send`` (``tests/prevent_cms/
test_notifications.py`` checks that no other module calls Django's mail functions). For each
recipient it keeps a ``Notification`` row, the in-app list's entry, and delivers by e-mail
as the person chose for that kind: straight away, in the daily digest, or not at all (in the
app only). The clock-breach and urgent kinds are always e-mailed straight away.

What is said is content-free, as the mail always was: a kind, a case or panel reference and a
link, never a person's name. Callers are Celery tasks (``prevent_cms.jobs.email_task``) and
beat jobs; each call may run twice. Rows are keyed (``key``; by default the Celery task's id,
which a retry and a redelivery keep), so a second run adds no row and mails only the
recipients the first run did not reach.

Each person is written to in their own language (``User.language``, issue 19): the subject
and body are given as words to translate (``gettext_lazy``, or a function that words them)
with the ``values`` to put in, and are worded once per language, each group of recipients
getting one message in theirs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from celery import current_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import GuardFailed
from .models import Notification, NotificationPreference

Delivery = Notification.Delivery


class Kind(models.TextChoices):
    """Every kind of notification the service sends, and what people call it."""

    RECEIPT = "receipt", _("Your referral was received")
    COUNCIL_COPY = "council_copy", _("New referral in your area")
    ADDENDUM_ADDED = "addendum_added", _("Information added to a referral")
    REVIEWED = "reviewed", _("Your referral was reviewed")
    NEW_REFERRAL = "new_referral", _("New referral to triage")
    URGENT_REFERRAL = "urgent_referral", _("Urgent referral to triage")
    TRIAGE_CLOCK_BREACHED = "triage_clock_breached", _("Triage time limit passed")
    ASSESSMENT_CLOCK_BREACHED = "assessment_clock_breached", _("Assessment time limit passed")
    ENTERED_CHANNEL = "entered_channel", _("Case referred to Channel")
    BREAK_GLASS = "break_glass", _("Case opened with break-glass access")
    CHANNEL_REMINDER = "channel_reminder", _("Channel case needs attention")
    PANEL_SCHEDULED = "panel_scheduled", _("Panel scheduled")
    PANEL_MOVED = "panel_moved", _("Panel moved")
    PACK_READY = "pack_ready", _("Panel pack ready")
    AGENCY_UPDATE_REQUESTED = "agency_update_requested", _("Agency update requested for a panel")
    ACTION_ASSIGNED = "action_assigned", _("Panel action assigned to you")
    INTERVENTION_ALLOCATED = "intervention_allocated", _("Intervention allocated to you")
    TRAINING_REMINDER = "training_reminder", _("Training renewals due")
    ACCESS_CHANGED = "access_changed", _("An account’s access changed")
    CASE_TRANSFER = "case_transfer", _("Case transfer between areas")  # issue 18
    DIGEST = "digest", _("Daily digest")


# Statutory clocks and risk to life: always e-mailed straight away, whatever was chosen.
MANDATORY = frozenset(
    {Kind.TRIAGE_CLOCK_BREACHED, Kind.ASSESSMENT_CLOCK_BREACHED, Kind.URGENT_REFERRAL}
)
# What a person may choose for: every kind but the digest itself.
CHOOSABLE = tuple(kind.value for kind in Kind if kind != Kind.DIGEST)


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content: bytes
    mimetype: str


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# What a subject or body is given as: words to translate (lazy), a function that words them
# in the active language, or (for people whose language is not known) plain text.
Words = str | Promise | Callable[[], str]


@dataclass(frozen=True)
class OnDay:
    """A date (or a date and time) in a message, written in the reader's language when the
    message is worded: "3 December 2026" or "3 Rhagfyr 2026"."""

    value: datetime.date | datetime.datetime
    with_time: bool = False

    def __str__(self) -> str:
        if self.with_time and isinstance(self.value, datetime.datetime):
            return date_format(timezone.localtime(self.value), "j F Y, H:i")
        return date_format(self.value, "j F Y")


def worded(words: Words, values: Mapping[str, object] | None = None) -> str:
    """``words`` in the active language, with ``values`` put in (``%(name)s``)."""
    text = words() if callable(words) else str(words)
    if values is None:
        return text
    return text % {name: str(value) for name, value in values.items()}


# Someone with no account here has no language we know of, and a Welsh public body writes to
# them in both (Welsh Language Standards): Welsh first, then English, as GOV.UK Notify's
# bilingual messages and Welsh services' letters do (docs/frontend.md). The subject is both
# joined by " / "; the body is the Welsh text, a rule, then the English text.
BILINGUAL = ("cy", settings.LANGUAGE_CODE)
BILINGUAL_SUBJECT_JOIN = " / "
BILINGUAL_BODY_JOIN = "\n\n---\n\n"


def worded_bilingually(
    subject: Words, body: Words, values: Mapping[str, object] | None = None
) -> tuple[str, str]:
    """``subject`` and ``body`` in Welsh, then in English (``BILINGUAL``). Words given ready
    made, the same in both, are written once."""
    subjects: list[str] = []
    bodies: list[str] = []
    for language in BILINGUAL:
        with translation.override(language):
            subject_text, body_text = worded(subject, values), worded(body, values)
        if subject_text not in subjects:
            subjects.append(subject_text)
        if body_text not in bodies:
            bodies.append(body_text)
    return BILINGUAL_SUBJECT_JOIN.join(subjects), BILINGUAL_BODY_JOIN.join(bodies)


def language_of(person) -> str:
    """The language to word something for ``person`` in: the one they chose
    (``User.language``), else the site's (English): a message or a file made for someone
    away from their browser cannot ask it."""
    return getattr(person, "language", "") or settings.LANGUAGE_CODE


def _message(
    subject: str, body: str, addresses: list[str], *, kind: str, reference: str = "", path: str = ""
) -> EmailMessage:
    """The e-mail for SMTP, marked with what a template-based backend (GOV.UK Notify,
    ``prevent_cms.notify``) sends instead of the text: the kind, the reference and the link."""
    message = EmailMessage(subject, body, None, addresses)
    message.notify = {  # type: ignore[attr-defined]  # read by prevent_cms.notify
        "kind": str(kind),
        "reference": reference,
        "link": site_link(path or "/"),
    }
    return message


def _task_key(kind: str) -> str:
    """The running Celery task's id (kept by a retry and a redelivery), or "" outside one."""
    request = getattr(current_task, "request", None)
    task_id = getattr(request, "id", None)
    return f"task:{task_id}:{kind}" if task_id else ""


def deliveries_for(*, user_ids: Sequence, kind: str) -> dict:
    """How each person wants ``kind`` delivered: their choice, e-mail now by default."""
    if kind in MANDATORY:
        return dict.fromkeys(user_ids, Delivery.EMAIL)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, Delivery.EMAIL) for pk in user_ids}


def notification_send(
    *,
    kind: str,
    recipients: Iterable,
    subject: Words,
    body: Words,
    values: Mapping[str, object] | None = None,
    path: str = "",
    reference: str = "",
    attachments: Sequence[MailAttachment] = (),
    key: str = "",
) -> int:
    """Notify ``recipients`` (users) of one thing; returns the e-mails sent now (one message
    per language to everyone who wants it straight away, as the mail always went).

    ``subject`` and ``body`` say the kind and a reference, never a name; they are worded in
    each recipient's language with ``values`` put in. ``path`` is the page on this site where
    the work is done. ``key`` names the event for people who may be told of it twice (a beat
    job's re-run); by default the running task's id.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return 0
    key = key or _task_key(kind)
    deliveries = deliveries_for(user_ids=list(people), kind=kind)
    wording: dict[str, tuple[str, str]] = {}
    for language in {language_of(person) for person in people.values()}:
        with translation.override(language):
            wording[language] = (worded(subject, values), worded(body, values))
    language = {pk: language_of(person) for pk, person in people.items()}
    now = timezone.now()
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    kind=kind,
                    subject=wording[language[pk]][0][:200],
                    reference=reference,
                    path=path,
                    key=key,
                    delivery=deliveries[pk],
                    created_at=now,
                )
                for pk in people
            ],
            ignore_conflicts=bool(key),
        )
    due = Notification.objects.filter(
        recipient_id__in=list(people),
        kind=kind,
        delivery=Delivery.EMAIL,
        emailed_at__isnull=True,
    )
    due = due.filter(key=key) if key else due.filter(created_at=now)
    rows = dict(due.values_list("pk", "recipient_id"))
    sent = 0
    for words_in, (subject_text, body_text) in sorted(wording.items()):
        addresses = sorted(
            {
                people[pk].email
                for pk in rows.values()
                if people[pk].email and language[pk] == words_in
            }
        )
        if not addresses:
            continue
        message = _message(
            subject_text, body_text, addresses, kind=kind, reference=reference, path=path
        )
        for attachment in attachments:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        sent += message.send()
    Notification.objects.filter(pk__in=list(rows)).update(emailed_at=timezone.now())
    return sent


def notification_send_external(
    *,
    kind: str,
    addresses: Sequence[str],
    subject: Words,
    body: Words,
    values: Mapping[str, object] | None = None,
    reference: str = "",
    path: str = "",
) -> int:
    """E-mail people who have no account here (issue 15): the person who raised a concern
    recorded on their behalf, a council's MASH or children's front door. In Welsh and
    English, as their language is not known (issue 19). Content-free as
    every notification; no in-app row, as there is nobody to show it to. May run twice
    (one more mail): these addresses have no preferences and no list to key against."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    addresses = sorted({address for address in addresses if address})
    if not addresses:
        return 0
    # Their language is not known: in Welsh and English (``worded_bilingually``).
    subject_text, body_text = worded_bilingually(subject, body, values)
    message = _message(
        subject_text, body_text, addresses, kind=kind, reference=reference, path=path
    )
    return message.send()


# E-mails that carry a secret link to someone who cannot sign in (issue 20: setting a new
# password). They are answers, not notifications: no ``Kind``, no preference, no in-app row,
# and the link is kept nowhere but in the mail.
# Issue 21: the mailing list's one-time confirmation link (double opt-in).
SECRET_LINK_KINDS = frozenset({"password_reset", "mailing_list_confirm"})


def notification_send_secret_link(
    *,
    kind: str,
    address: str,
    subject: Words,
    body: Words,
    path: str,
    values: Mapping[str, object] | None = None,
) -> int:
    """E-mail ``address`` one message whose link (``path`` on this site) is a secret. A
    template-based backend (GOV.UK Notify) sends the kind's template with that link. Words
    to translate are sent in Welsh and English (an address on a mailing list has no
    language we know); an account's mail comes worded in its language, sent as it is."""
    if kind not in SECRET_LINK_KINDS:
        raise ValueError(f"Unknown secret-link e-mail {kind!r}")
    if not address:
        return 0
    subject_text, body_text = worded_bilingually(subject, body, values)
    return _message(subject_text, body_text, [address], kind=kind, path=path).send()


# Messages to a mailing list of people with no account here (issue 21: the outreach list's
# content-free reminders). One e-mail per contact, each with its own unsubscribe link.
LIST_MAIL_KINDS = frozenset({"outreach_reminder"})


def notification_send_list_mail(
    *,
    kind: str,
    address: str,
    subject: Words,
    body: Words,
    unsubscribe_path: str,
    values: Mapping[str, object] | None = None,
) -> int:
    """E-mail one contact of a mailing list one message, in Welsh and English (a contact
    has no account, so no language we know). ``unsubscribe_path`` (this site) is
    their own unsubscribe link: in the body, and in the ``List-Unsubscribe`` header mail
    programs offer as a button; a template-based backend sends it as the kind's link."""
    if kind not in LIST_MAIL_KINDS:
        raise ValueError(f"Unknown mailing-list e-mail {kind!r}")
    if not address:
        return 0
    subject_text, body_text = worded_bilingually(subject, body, values)
    message = _message(subject_text, body_text, [address], kind=kind, path=unsubscribe_path)
    message.extra_headers["List-Unsubscribe"] = f"<{site_link(unsubscribe_path)}>"
    return message.send()


DIGEST_SUBJECT = _("Prevent case management: your daily digest")


def notification_send_digests(*, day: datetime.date | None = None) -> int:
    """E-mail each person who chose the daily digest the notifications not yet mailed to them.

    One e-mail per person listing each notification's subject (a reference) and link. A
    second run the same day finds nothing left to send.
    """
    pending = (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_person: dict = {}
    for row in pending:
        by_person.setdefault(row.recipient, []).append(row)
    sent = 0
    for person, rows in by_person.items():
        if not person.is_active or not person.email:
            continue
        lines = [f"- {row.subject}\n  {site_link(row.path)}" for row in rows]
        body = "\n".join(lines) + "\n\n" + site_link("/notifications/")
        with translation.override(language_of(person)):
            subject = str(DIGEST_SUBJECT)
        with transaction.atomic():
            marked = Notification.objects.filter(
                pk__in=[row.pk for row in rows], emailed_at__isnull=True
            ).update(emailed_at=timezone.now())
            if marked:
                _message(
                    subject,
                    body,
                    [person.email],
                    kind=Kind.DIGEST,
                    path="/notifications/",
                ).send()
                sent += 1
    return sent


# --- Reads and the person's own changes -----------------------------------------------------


def notifications_visible_to(user) -> models.QuerySet[Notification]:
    """A notification is its recipient's alone: anyone else gets a 404."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notifications_unread(user) -> models.QuerySet[Notification]:
    return notifications_visible_to(user).filter(read_at__isnull=True)


def notification_unread_count(user) -> int:
    return notifications_unread(user).count()


def notification_preferences_for(user) -> dict[str, str]:
    """Every choosable kind with the delivery this person gets (mandatory kinds: e-mail)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {
        kind: Delivery.EMAIL if kind in MANDATORY else chosen.get(kind, Delivery.EMAIL)
        for kind in CHOOSABLE
    }


@transaction.atomic
def notification_mark_read(*, notification_id, actor) -> Notification:
    """Mark one of the actor's own notifications read (again is harmless)."""
    row = notifications_visible_to(actor).select_for_update().get(pk=notification_id)
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    return row


@transaction.atomic
def notification_preferences_set(*, actor, choices: dict[str, str]) -> dict[str, str]:
    """Save the actor's delivery choice per kind; kinds not named keep theirs.

    The clock-breach and urgent kinds cannot be moved off immediate e-mail: choosing anything
    else for them is refused (400) rather than silently ignored.
    """
    errors = {}
    for kind, delivery in choices.items():
        if kind not in CHOOSABLE:
            errors[kind] = str(_("There is no such kind of notification"))
        elif delivery not in Delivery.values:
            errors[kind] = str(_("Choose e-mail straight away, a daily digest or in-app only"))
        elif kind in MANDATORY and delivery != Delivery.EMAIL:
            errors[kind] = str(_("This notification is always e-mailed straight away"))
    if errors:
        raise GuardFailed(errors)
    for kind, delivery in choices.items():
        if kind in MANDATORY:
            continue
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"delivery": delivery}
        )
    return notification_preferences_for(actor)
