"""Background work for Channel: panel packs and daily reminders.

Both may run twice (a redelivery after a worker dies, ``acks_late``): the pack task keeps
one copy per recipient per job, and one audit event per recipient for the panel plus one per
recipient per case in their copy; reminders keep a ledger per day.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from prevent_cms.audit import audit_record_many
from prevent_cms.jobs import job_fail, job_finish, job_progress, job_start, job_task
from referrals.choices import State
from referrals.models import Referral

from .models import Panel, PanelPack, ReminderSent
from .packs import pack_link_expires_at
from .pdf import build_pack
from .selectors import (
    PANEL_WAIT_DAYS,
    POST_EXIT_DUE,
    awaiting_panel,
    support_review_interval_days,
)

log = logging.getLogger(__name__)


@job_task
def generate_panel_pack(job_id: str) -> str:
    """Make one PDF per panel member. Safe to run twice: finished work is skipped."""
    job = job_start(job_id)
    if job is None:
        return "already-done"
    panel = Panel.objects.filter(pk=job.params.get("panel")).first()
    if panel is None:
        job_fail(job, message="The panel no longer exists.")
        return "failed"
    recipients = list(panel.members.filter(is_active=True).order_by("last_name", "username"))
    today = timezone.localdate()
    owner_copy = None
    for index, recipient in enumerate(recipients, start=1):
        pack = _pack_for(job, panel, recipient, today)
        if recipient.pk == job.owner_id:
            owner_copy = pack
        job_progress(job, int(index * 100 / (len(recipients) + 1)))
    if owner_copy is None:
        job_fail(job, message="You are not a member of this panel.")
        return "failed"
    with owner_copy.file.open("rb") as handle:
        content = handle.read()
    job_finish(
        job,
        content=content,
        name=f"panel-pack-{panel.date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
    log.info("panel pack job %s done: %d copies", job.pk, len(recipients))
    return "done"


def _pack_for(job, panel, recipient, today) -> PanelPack:
    existing = PanelPack.objects.filter(job=job, recipient=recipient).first()
    if existing is not None:
        return existing
    rendered = build_pack(panel, recipient, today)
    try:
        with transaction.atomic():
            Panel.objects.select_for_update().filter(pk=panel.pk).first()
            existing = PanelPack.objects.filter(job=job, recipient=recipient).first()
            if existing is not None:
                return existing
            pack = PanelPack(
                panel=panel,
                job=job,
                recipient=recipient,
                pages=rendered.pages,
                referral_ids=rendered.referral_ids,
            )
            pack.file.save("pack.pdf", ContentFile(rendered.content), save=False)
            pack.save()
            # One event for the panel and one per case in this copy, in one INSERT, committed
            # with the copy: a redelivered task finds the copy above and writes none again.
            audit_record_many(
                actor=job.owner,
                action="channel.pack.generated",
                targets=pack.audit_targets(),
                detail=pack.audit_detail(),
            )
            if recipient.email:
                pack_id = pack.pk
                transaction.on_commit(lambda: _send_pack_link(pack_id))
            return pack
    except IntegrityError:  # another delivery of the same job made it first
        return PanelPack.objects.get(job=job, recipient=recipient)


def _send_pack_link(pack_id) -> None:
    """E-mail a recipient their single-use link to their copy: the panel's date and the
    link only (an opaque id), never a name or a case."""
    pack = PanelPack.objects.select_related("panel", "recipient").filter(pk=pack_id).first()
    if pack is None:
        return
    expires = timezone.localtime(pack_link_expires_at(pack.panel))
    body = (
        f"Your copy of the pack for the Channel panel on {pack.panel.date:%-d %B %Y} is ready.\n\n"
        f"{settings.SITE_URL}{reverse('channel:pack_link', args=[pack.pk])}\n\n"
        f"Sign in to download it. The link works once, until {expires:%-d %B %Y, %H:%M}. "
        "After the panel, destroy your copy securely and say so on the panel's page."
    )
    send_mail("Your Channel panel pack", body, None, [pack.recipient.email])


# --- Reminders (DESIGN.md §4 clocks) -------------------------------------------------------


def _send_once(*, kind: str, obj_id, recipient: User, subject: str, body: str) -> bool:
    """Send at most one e-mail per kind, object, recipient and day."""
    today = timezone.localdate()
    key = f"{kind}:{obj_id}:{recipient.pk}:{today.isoformat()}"
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, day=today)
    except IntegrityError:
        return False
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient.email]))
    return True


def _chairs(local_authority_id):
    return (
        User.objects.filter(
            is_active=True,
            role_grants__role=Role.CHANNEL_CHAIR,
            agency__local_authority_id=local_authority_id,
        )
        .exclude(email="")
        .distinct()
    )


@shared_task(acks_late=True)
def send_channel_reminders() -> int:
    """Daily: reviews due, consent reassessments, cases waiting for a panel, post-exit reviews.

    E-mails carry the case reference and a link only. Running twice a day sends nothing twice.
    """
    sent = 0
    now = timezone.now()
    today = timezone.localdate()
    link_base = settings.SITE_URL
    cases = Referral.objects.filter(
        state__in=[State.CHANNEL_PANEL, State.SUPPORT, State.POST_EXIT_REVIEW, State.CLOSED]
    ).prefetch_related("reviews")
    waiting = set(
        awaiting_panel(Referral.objects.filter(state=State.CHANNEL_PANEL)).values_list(
            "pk", flat=True
        )
    )
    interval = support_review_interval_days()
    for referral in cases.iterator(chunk_size=500):
        kinds = []
        if referral.state == State.CHANNEL_PANEL and referral.channel_entered_at:
            discussed = referral.pk not in waiting
            waited = (now - referral.channel_entered_at).days
            if not discussed and waited > PANEL_WAIT_DAYS:
                kinds.append("awaiting_panel")
        elif referral.state == State.SUPPORT:
            dates = [r.date for r in referral.reviews.all()]
            start = referral.adopted_at or referral.state_changed_at
            last = max(dates) if dates else timezone.localdate(start)
            if (today - last).days > interval:
                kinds.append("review_due")
        elif referral.state == State.POST_EXIT_REVIEW and referral.exited_at:
            done = {r.kind for r in referral.reviews.all()}
            exited = timezone.localdate(referral.exited_at)
            for kind, days in POST_EXIT_DUE.items():
                if kind not in done and (today - exited).days >= days:
                    kinds.append(kind)
        elif (
            referral.state == State.CLOSED
            and referral.reassess_on
            and referral.reassess_on <= today
            and referral.closure_reason in ("consent_declined", "consent_withdrawn")
        ):
            kinds.append("consent_reassessment")
        for kind in kinds:
            link = link_base + reverse("channel:case", args=[referral.pk])
            subject = f"Channel reminder: {referral.reference}"
            what = kind.replace("_", " ")
            body = f"Channel case {referral.reference} needs attention ({what}).\n\n{link}"
            recipients = list(_chairs(referral.local_authority_id))
            if (
                kind == "awaiting_panel"
                and referral.assigned_officer
                and referral.assigned_officer.email
            ):
                recipients.append(referral.assigned_officer)
            for recipient in recipients:
                sent += _send_once(
                    kind=kind, obj_id=referral.pk, recipient=recipient, subject=subject, body=body
                )
    return sent
