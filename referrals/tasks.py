"""E-mails about referrals and the case-list export job.

Tasks take ids only and carry no personal details.
"""

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from partnership.models import DisclosureKind
from prevent_cms.audit import audit_record
from prevent_cms.errors import DisclosureRefused
from prevent_cms.jobs import email_task, job_task
from prevent_cms.notifications import (
    Kind,
    OnDay,
    notification_send,
    notification_send_external,
    site_link,
)

from . import clocks
from .choices import State
from .disclosures import disclosures_record
from .exports import referral_export_run
from .models import Addendum, BreakGlassGrant, Referral
from .subject_access import subject_access_run

SUBJECTS = {
    "council_copy": _("A Prevent referral for your area has arrived: %(reference)s"),
    "receipt": _("Prevent referral received: %(reference)s"),
    "reviewed": _("Your Prevent referral has been reviewed: %(reference)s"),
    "new_referral": _("New Prevent referral to triage: %(reference)s"),
    "urgent_referral": _("Urgent: new Prevent referral to triage: %(reference)s"),
    "entered_channel": _("Case referred to Channel: %(reference)s"),
}
BODIES = {
    "council_copy": _(
        "A Prevent referral for %(area)s, %(reference)s, has arrived and is with the Counter "
        "Terrorism Policing Prevent team.\n\n%(link)s"
    ),
    "receipt": _(
        "Thank you. Your Prevent referral %(reference)s has been received and will be assessed "
        "by the Counter Terrorism Policing Prevent team.\n\n"
        "If anyone is in immediate danger, call 999.\n\n%(link)s"
    ),
    "reviewed": _(
        "Your Prevent referral %(reference)s has been reviewed by the Prevent team. "
        "For more information, contact your Prevent lead.\n\n%(link)s"
    ),
    "new_referral": _(
        "A new Prevent referral, %(reference)s, is waiting in your queue.\n\n%(link)s"
    ),
    "urgent_referral": _(
        "Urgent: a new Prevent referral, %(reference)s, reports that someone may be in immediate "
        "danger. It is at the top of your queue.\n\n%(link)s"
    ),
    "entered_channel": _(
        "Case %(reference)s has been referred to Channel and is waiting for a panel.\n\n%(link)s"
    ),
}


def _officers_of(police_force_id):
    return User.objects.filter(
        is_active=True,
        role_grants__role=Role.PREVENT_OFFICER,
        agency__local_authority__police_force_id=police_force_id,
    ).distinct()


def _chairs_of(local_authority_id):
    return User.objects.filter(
        is_active=True,
        role_grants__role=Role.CHANNEL_CHAIR,
        agency__local_authority_id=local_authority_id,
    ).distinct()


@email_task
def send_referral_email(referral_id: str, kind: str) -> int:
    """Send one referral notification. Holds only the reference and a link, never personal
    data. A new urgent referral goes out as the urgent kind, which says so in its subject."""
    referral = (
        Referral.objects.select_related("referrer", "subject", "local_authority")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        return 0
    path = reverse("referrals:detail", args=[referral.pk])
    if kind == "council_copy":
        return _send_council_copy(referral, path)
    if kind == "new_referral":
        recipients = list(_officers_of(referral.police_force_id))
        if referral.urgent:
            kind = "urgent_referral"
        else:
            path = reverse("referrals:queue")
    elif kind == "entered_channel":
        recipients = list(_chairs_of(referral.local_authority_id))
        path = reverse("channel:case", args=[referral.pk])
    else:
        if referral.on_behalf:
            # Recorded on someone's behalf: the contact's e-mail when they gave one (never
            # the officer who keyed it), without a link (they have no account to open it).
            values = {"reference": referral.reference, "link": ""}
            return notification_send_external(
                kind=kind,
                addresses=[referral.feedback_email] if referral.feedback_email else [],
                subject=SUBJECTS[kind],
                body=BODIES[kind],
                values=values,
            )
        recipients = [referral.referrer]
    values = {"reference": referral.reference, "link": site_link(path)}
    return notification_send(
        kind=kind,
        recipients=recipients,
        subject=SUBJECTS[kind],
        body=BODIES[kind],
        values=values,
        path=path,
        reference=referral.reference,
    )


def _send_council_copy(referral: Referral, path: str) -> int:
    """Tell the local authority that a referral for its area has arrived (issue 15): its
    Prevent leads (with a link they may open), and for a person under 18 its MASH or
    children's front door where it has one (the reference only: they have no account here).
    Content-free: the reference, the area's name and a link; never a name."""
    la = referral.local_authority
    leads = User.objects.filter(
        is_active=True,
        role_grants__role=Role.PREVENT_LEAD,
        agency__local_authority_id=la.pk,
    ).distinct()
    values = {"reference": referral.reference, "area": la.name}
    sent = notification_send(
        kind=Kind.COUNCIL_COPY,
        recipients=leads,
        subject=SUBJECTS["council_copy"],
        body=BODIES["council_copy"],
        values={**values, "link": site_link(path)},
        path=path,
        reference=referral.reference,
    )
    submitted = (referral.submitted_at or timezone.now()).astimezone(
        timezone.get_current_timezone()
    )
    age = referral.subject.age_on(submitted.date())
    if la.mash_email and age is not None and age < ADULT_AGE and _mash_copy_allowed(referral):
        sent += notification_send_external(
            kind=Kind.COUNCIL_COPY,
            addresses=[la.mash_email],
            subject=SUBJECTS["council_copy"],
            body=BODIES["council_copy"],
            values={**values, "link": MASH_NOTE},
        )
    return sent


def _mash_copy_allowed(referral: Referral) -> bool:
    """Record the MASH copy in the partnership ledger (issue 21) against the agreement with
    the MASH's agency (``LocalAuthority.mash_agency``; none: the council's own front door,
    nothing leaves it). Where the council refuses disclosures no agreement covers, the copy
    is not sent, and the refusal is audited. A rerun of the task finds it recorded: once."""
    try:
        with transaction.atomic():
            disclosures_record(
                actor=referral.referrer,
                kind=DisclosureKind.MASH_COPY,
                source_id=referral.pk,
                referrals=[referral],
                recipient=None,
                party=referral.local_authority.mash_agency,
            )
    except DisclosureRefused:
        audit_record(
            actor=referral.referrer,
            action="partnership.disclosure.refused",
            obj=referral,
            detail={"kind": DisclosureKind.MASH_COPY},
        )
        return False
    return True


ADULT_AGE = 18
MASH_NOTE = _("For details, contact the Prevent team on the number you hold for them.")

ADDENDUM_SUBJECT = _("More information added to Prevent referral %(reference)s")
ADDENDUM_BODY = _(
    "The referrer has added information to Prevent referral %(reference)s. "
    "Read it on the case page.\n\n%(link)s"
)


def addendum_recipients(referral: Referral):
    """The case's assigned officer; before one is assigned, the force's Prevent officers
    (those the new referral was sent to)."""
    people = User.objects.filter(is_active=True)
    if referral.assigned_officer_id:
        return people.filter(pk=referral.assigned_officer_id)
    return people.filter(
        role_grants__role=Role.PREVENT_OFFICER,
        agency__local_authority__police_force_id=referral.police_force_id,
    ).distinct()


@email_task
def send_addendum_email(addendum_id: str) -> int:
    """Tell the case's officers a referrer added information. Holds the reference and a link
    only, never the information; may run twice (keyed by the task, as every notification)."""
    addendum = Addendum.objects.select_related("referral").filter(pk=addendum_id).first()
    if addendum is None:
        return 0
    referral = addendum.referral
    path = reverse("referrals:detail", args=[referral.pk])
    values = {"reference": referral.reference, "link": site_link(path)}
    return notification_send(
        kind=Kind.ADDENDUM_ADDED,
        recipients=addendum_recipients(referral),
        subject=ADDENDUM_SUBJECT,
        body=ADDENDUM_BODY,
        values=values,
        path=path,
        reference=referral.reference,
    )


BREAK_GLASS_SUBJECT = _("Prevent case opened with break-glass access: %(reference)s")
BREAK_GLASS_BODY = _(
    "Case %(reference)s was opened with break-glass access by user %(user_id)s at %(at)s, "
    "for 24 hours. The reason they gave is in the case's access log.\n\n%(link)s"
)


@email_task
def send_break_glass_email(grant_id: str) -> int:
    """Tell the case's assigned officer and its local authority's chairs about a break-glass.

    Holds the reference, the opener's user id and a link only; may run twice (one more mail).
    """
    grant = BreakGlassGrant.objects.select_related("referral").filter(pk=grant_id).first()
    if grant is None:
        return 0
    referral = grant.referral
    people = User.objects.filter(is_active=True).exclude(pk=grant.user_id)
    recipients = set(
        people.filter(
            role_grants__role=Role.CHANNEL_CHAIR,
            agency__local_authority_id=referral.local_authority_id,
        )
    )
    if referral.assigned_officer_id:
        recipients |= set(people.filter(pk=referral.assigned_officer_id))
    path = reverse("referrals:detail", args=[referral.pk])
    values = {
        "reference": referral.reference,
        "user_id": grant.user_id,
        "at": OnDay(grant.granted_at, with_time=True),
        "link": site_link(path),
    }
    return notification_send(
        kind=Kind.BREAK_GLASS,
        recipients=recipients,
        subject=BREAK_GLASS_SUBJECT,
        body=BREAK_GLASS_BODY,
        values=values,
        path=path,
        reference=referral.reference,
    )


CLOCK_SUBJECTS = {
    Kind.TRIAGE_CLOCK_BREACHED: _("Triage time limit passed: %(reference)s"),
    Kind.ASSESSMENT_CLOCK_BREACHED: _("Assessment time limit passed: %(reference)s"),
}
CLOCK_BODIES = {
    Kind.TRIAGE_CLOCK_BREACHED: _(
        "Referral %(reference)s has waited longer than the %(days)s working days allowed for "
        "triage.\n\n%(link)s"
    ),
    Kind.ASSESSMENT_CLOCK_BREACHED: _(
        "Referral %(reference)s has been in police assessment longer than the %(days)s working "
        "days allowed.\n\n%(link)s"
    ),
}


@shared_task(acks_late=True, ignore_result=True)
def send_clock_breaches() -> int:
    """Beat, hourly: tell the assigned officer (or, unassigned, every officer of the force)
    that a case's triage or assessment clock has run out (DESIGN.md §4).

    Once per clock: each notice is keyed on the case and the moment its clock started, so a
    re-run (or the next hour's run) sends nothing again, and a clock restarted by a new
    assessment is a new one. Returns the e-mails sent.
    """
    cutoffs = clocks.overdue_cutoffs()
    breached = (
        Referral.objects.filter(
            Q(state=State.SUBMITTED, submitted_at__lt=cutoffs[State.SUBMITTED])
            | Q(
                state=State.POLICE_ASSESSMENT,
                assessment_started_at__lt=cutoffs[State.POLICE_ASSESSMENT],
            )
        )
        .select_related("assigned_officer")
        .order_by("submitted_at", "id")
    )
    sent = 0
    for referral in breached.iterator(chunk_size=500):
        rule, field = clocks.CASE_CLOCKS[referral.state]
        kind, started, days = rule.notice, getattr(referral, field), rule.threshold()
        officer = referral.assigned_officer
        recipients = (
            [officer]
            if officer is not None and officer.is_active
            else list(_officers_of(referral.police_force_id))
        )
        path = reverse("referrals:detail", args=[referral.pk])
        values = {"reference": referral.reference, "days": days, "link": site_link(path)}
        sent += notification_send(
            kind=kind,
            recipients=recipients,
            subject=CLOCK_SUBJECTS[kind],
            body=CLOCK_BODIES[kind],
            values=values,
            path=path,
            reference=referral.reference,
            key=f"{kind}:{referral.pk}:{started.isoformat()}",
        )
    return sent


@job_task
def export_referrals(job_id: str) -> int | None:
    """Write an officer's case-list export (``exports.referral_export_run``).

    May run twice: the job's row lock and state make the second run a no-op. Retries only on
    ``OperationalError`` (the database went away, or PostgreSQL refused a second run's
    snapshot), with backoff, jitter and at most three attempts.
    """
    return referral_export_run(job_id=job_id)


@job_task
def export_subject_access(job_id: str) -> int | None:
    """Write a subject access export (``subject_access.subject_access_run``).

    May run twice: a finished job is left alone. Retries only on ``OperationalError``.
    """
    return subject_access_run(job_id=job_id)
