"""E-mails about referrals and the case-list export job.

Tasks take ids only and carry no personal details.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from prevent_cms.jobs import email_task, job_task

from .exports import referral_export_run
from .models import Addendum, BreakGlassGrant, Referral
from .subject_access import subject_access_run

SUBJECTS = {
    "council_copy": "A Prevent referral for your area has arrived: {reference}",
    "receipt": "Prevent referral received: {reference}",
    "reviewed": "Your Prevent referral has been reviewed: {reference}",
    "new_referral": "New Prevent referral to triage: {reference}",
}
BODIES = {
    "council_copy": (
        "A Prevent referral for {area}, {reference}, has arrived and is with the Counter "
        "Terrorism Policing Prevent team.\n\n{link}"
    ),
    "receipt": (
        "Thank you. Your Prevent referral {reference} has been received and will be assessed "
        "by the Counter Terrorism Policing Prevent team.\n\n"
        "If anyone is in immediate danger, call 999.\n\n{link}"
    ),
    "reviewed": (
        "Your Prevent referral {reference} has been reviewed by the Prevent team. "
        "For more information, contact your Prevent lead.\n\n{link}"
    ),
    "new_referral": "A new Prevent referral, {reference}, is waiting in your queue.\n\n{link}",
}


@email_task
def send_referral_email(referral_id: str, kind: str) -> int:
    """Send one referral e-mail. Holds only the reference and a link, never personal data."""
    referral = (
        Referral.objects.select_related("referrer", "subject", "local_authority")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        return 0
    link = settings.SITE_URL + reverse("referrals:detail", args=[referral.pk])
    if kind == "council_copy":
        return _send_council_copy(referral, link)
    if kind == "new_referral":
        recipients = list(
            User.objects.filter(
                is_active=True,
                role_grants__role=Role.PREVENT_OFFICER,
                agency__local_authority__police_force_id=referral.police_force_id,
            )
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        link = settings.SITE_URL + reverse("referrals:queue")
    else:
        # The person who raised the concern: for a referral recorded on their behalf, the
        # contact's e-mail when they gave one (never the officer who keyed it).
        recipients = [referral.feedback_email] if referral.feedback_email else []
        if referral.on_behalf:
            link = ""  # they have no account to open it with
    if not recipients:
        return 0
    values = {"reference": referral.reference, "link": link}
    return send_mail(
        SUBJECTS[kind].format(**values),
        BODIES[kind].format(**values),
        None,
        recipients,
    )


def _send_council_copy(referral: Referral, link: str) -> int:
    """Tell the local authority that a referral for its area has arrived (issue 15): its
    Prevent leads (with a link they may open), and for a person under 18 its MASH or
    children's front door where it has one (the reference only: they have no account here).
    Content-free: the reference, the area's name and a link; never a name."""
    la = referral.local_authority
    leads = sorted(
        User.objects.filter(
            is_active=True,
            role_grants__role=Role.PREVENT_LEAD,
            agency__local_authority_id=la.pk,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    values = {"reference": referral.reference, "area": la.name}
    sent = 0
    if leads:
        sent += send_mail(
            SUBJECTS["council_copy"].format(**values),
            BODIES["council_copy"].format(**values, link=link),
            None,
            leads,
        )
    submitted = (referral.submitted_at or timezone.now()).astimezone(
        timezone.get_current_timezone()
    )
    age = referral.subject.age_on(submitted.date())
    if la.mash_email and age is not None and age < ADULT_AGE:
        sent += send_mail(
            SUBJECTS["council_copy"].format(**values),
            BODIES["council_copy"].format(**values, link=MASH_NOTE),
            None,
            [la.mash_email],
        )
    return sent


ADULT_AGE = 18
MASH_NOTE = "For details, contact the Prevent team on the number you hold for them."

ADDENDUM_SUBJECT = "More information added to Prevent referral {reference}"
ADDENDUM_BODY = (
    "The referrer has added information to Prevent referral {reference}. "
    "Read it on the case page.\n\n{link}"
)


def addendum_recipients(referral: Referral) -> list[str]:
    """The case's assigned officer; before one is assigned, the force's Prevent officers
    (those the new referral was sent to)."""
    people = User.objects.filter(is_active=True).exclude(email="")
    if referral.assigned_officer_id:
        people = people.filter(pk=referral.assigned_officer_id)
    else:
        people = people.filter(
            role_grants__role=Role.PREVENT_OFFICER,
            agency__local_authority__police_force_id=referral.police_force_id,
        )
    return sorted(set(people.values_list("email", flat=True)))


@email_task
def send_addendum_email(addendum_id: str) -> int:
    """Tell the case's officers a referrer added information. Holds the reference and a link
    only, never the information; may run twice (one more mail)."""
    addendum = Addendum.objects.select_related("referral").filter(pk=addendum_id).first()
    if addendum is None:
        return 0
    referral = addendum.referral
    recipients = addendum_recipients(referral)
    if not recipients:
        return 0
    values = {
        "reference": referral.reference,
        "link": settings.SITE_URL + reverse("referrals:detail", args=[referral.pk]),
    }
    return send_mail(
        ADDENDUM_SUBJECT.format(**values), ADDENDUM_BODY.format(**values), None, recipients
    )


BREAK_GLASS_SUBJECT = "Prevent case opened with break-glass access: {reference}"
BREAK_GLASS_BODY = (
    "Case {reference} was opened with break-glass access by user {user_id} at {at} UTC, "
    "for 24 hours. The reason they gave is in the case's access log.\n\n{link}"
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
    people = User.objects.filter(is_active=True).exclude(pk=grant.user_id).exclude(email="")
    chairs = people.filter(
        role_grants__role=Role.CHANNEL_CHAIR,
        agency__local_authority_id=referral.local_authority_id,
    )
    recipients = set(chairs.values_list("email", flat=True))
    if referral.assigned_officer_id:
        recipients |= set(
            people.filter(pk=referral.assigned_officer_id).values_list("email", flat=True)
        )
    if not recipients:
        return 0
    values = {
        "reference": referral.reference,
        "user_id": grant.user_id,
        "at": grant.granted_at.strftime("%Y-%m-%d %H:%M"),
        "link": settings.SITE_URL + reverse("referrals:detail", args=[referral.pk]),
    }
    return send_mail(
        BREAK_GLASS_SUBJECT.format(**values),
        BREAK_GLASS_BODY.format(**values),
        None,
        sorted(recipients),
    )


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
