"""E-mails about referrals. Tasks take ids only and carry no personal details."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from accounts.models import Role, User

from .models import Referral

SUBJECTS = {
    "receipt": "Prevent referral received: {reference}",
    "reviewed": "Your Prevent referral has been reviewed: {reference}",
    "new_referral": "New Prevent referral to triage: {reference}",
}
BODIES = {
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


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_referral_email(referral_id: str, kind: str) -> int:
    """Send one referral e-mail. Holds only the reference and a link, never personal data."""
    referral = Referral.objects.select_related("referrer").filter(pk=referral_id).first()
    if referral is None:
        return 0
    link = settings.SITE_URL + reverse("referrals:detail", args=[referral.pk])
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
        recipients = [referral.referrer.email] if referral.referrer.email else []
    if not recipients:
        return 0
    values = {"reference": referral.reference, "link": link}
    return send_mail(
        SUBJECTS[kind].format(**values),
        BODIES[kind].format(**values),
        None,
        recipients,
    )
