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
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Role, User
from prevent_cms.audit import audit_record_many
from prevent_cms.clocks import CONSENT_REASSESSMENT, SUPPORT_REVIEW, TIME_TO_PANEL
from prevent_cms.jobs import email_task, job_fail, job_finish, job_progress, job_start, job_task
from prevent_cms.notifications import (
    Kind,
    MailAttachment,
    OnDay,
    notification_send,
    site_link,
)
from referrals.choices import State
from referrals.models import Referral

from .invitations import ICS_MIMETYPE, panel_ics
from .models import (
    AgencyUpdateRequest,
    Intervention,
    Panel,
    PanelAction,
    PanelPack,
    ReminderSent,
)
from .packs import pack_link_expires_at
from .pdf import build_pack
from .selectors import POST_EXIT_CLOCKS, awaiting_panel, pack_notice_key

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
    # No file of the job's own: its result is the owner's single-use copy (issue 16).
    job_finish(
        job,
        content=None,
        name=f"panel-pack-{panel.date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
    log.info("panel pack job %s done: %d copies", job.pk, len(recipients))
    return "done"


def _pack_for(job, panel, recipient, today) -> PanelPack:
    existing = PanelPack.objects.filter(job=job, recipient=recipient).first()
    if existing is not None:
        return existing
    # The asker's copy in the language they asked in; the others' in their own.
    language = job.language if recipient.pk == job.owner_id else ""
    rendered = build_pack(panel, recipient, today, language=language)
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
            pack_id = pack.pk
            transaction.on_commit(lambda: _send_pack_link(pack_id))
            return pack
    except IntegrityError:  # another delivery of the same job made it first
        return PanelPack.objects.get(job=job, recipient=recipient)


PACK_READY_SUBJECT = _lazy("Channel panel pack ready: panel of %(day)s")
PACK_READY_BODY = _lazy(
    "Your copy of the pack for the Channel panel on %(day)s is ready.\n\n%(link)s\n\n"
    "Sign in to download it. The link works once, until %(until)s. "
    "After the panel, destroy your copy securely and say so on the panel’s page."
)


def _send_pack_link(pack_id) -> None:
    """Tell a recipient their copy is ready, with the single-use link to it: the one "pack
    ready" notice (e-mail and in-app alike), the panel's date and the link only (an opaque
    id), never a name or a case. Keyed on the copy: a re-run sends nothing again."""
    pack = PanelPack.objects.select_related("panel", "recipient").filter(pk=pack_id).first()
    if pack is None:
        return
    expires = pack_link_expires_at(pack.panel)
    notification_send(
        kind=Kind.PACK_READY,
        recipients=[pack.recipient],
        subject=PACK_READY_SUBJECT,
        body=PACK_READY_BODY,
        values={
            "day": OnDay(pack.panel.date),
            "link": site_link(reverse("channel:pack_link", args=[pack.pk])),
            "until": OnDay(expires, with_time=True),
        },
        path=reverse("channel:pack_link", args=[pack.pk]),
        reference=f"{pack.panel.date:%Y-%m-%d}",
        key=pack_notice_key(pack.pk),
    )


# --- Reminders (DESIGN.md §4 clocks) -------------------------------------------------------

REMINDER_SUBJECT = _lazy("Channel reminder: %(reference)s")
REMINDER_BODY = _lazy("Channel case %(reference)s needs attention (%(what)s).\n\n%(link)s")
# What each reminder is about, in words (never its code).
REMINDER_WHAT = {
    "awaiting_panel": _lazy("waiting too long for a panel"),
    "review_due": _lazy("a support review is due"),
    "post_exit_6_months": _lazy("the 6-month post-exit review is due"),
    "post_exit_12_months": _lazy("the 12-month post-exit review is due"),
    "consent_reassessment": _lazy("consent is due to be asked again"),
}


def _send_once(
    *, kind: str, obj_id, recipient: User, values: dict, path: str, reference: str
) -> bool:
    """Send at most one reminder per kind, object, recipient and day."""
    today = timezone.localdate()
    key = f"{kind}:{obj_id}:{recipient.pk}:{today.isoformat()}"
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, day=today)
    except IntegrityError:
        return False
    notification_send(
        kind=Kind.CHANNEL_REMINDER,
        recipients=[recipient],
        subject=REMINDER_SUBJECT,
        body=REMINDER_BODY,
        values=values,
        path=path,
        reference=reference,
        key=key,
    )
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
    for referral in cases.iterator(chunk_size=500):
        kinds = []
        if referral.state == State.CHANNEL_PANEL and referral.pk in waiting:
            entered = referral.channel_entered_at
            if entered and TIME_TO_PANEL.breached(timezone.localdate(entered), today):
                kinds.append("awaiting_panel")
        elif referral.state == State.SUPPORT:
            dates = [r.date for r in referral.reviews.all()]
            start = referral.adopted_at or referral.state_changed_at
            last = max(dates) if dates else timezone.localdate(start)
            if SUPPORT_REVIEW.breached(last, today):
                kinds.append("review_due")
        elif referral.state == State.POST_EXIT_REVIEW and referral.exited_at:
            done = {r.kind for r in referral.reviews.all()}
            exited = timezone.localdate(referral.exited_at)
            for kind, rule in POST_EXIT_CLOCKS.items():
                if kind not in done and rule.breached(exited, today):
                    kinds.append(kind)
        elif (
            referral.state == State.CLOSED
            and referral.reassess_on
            and CONSENT_REASSESSMENT.breached(referral.reassess_on, today)
            and referral.closure_reason in ("consent_declined", "consent_withdrawn")
        ):
            kinds.append("consent_reassessment")
        for kind in kinds:
            path = reverse("channel:case", args=[referral.pk])
            link = link_base + path
            values = {"reference": referral.reference, "what": REMINDER_WHAT[kind], "link": link}
            recipients = list(_chairs(referral.local_authority_id))
            if (
                kind == "awaiting_panel"
                and referral.assigned_officer
                and referral.assigned_officer.email
            ):
                recipients.append(referral.assigned_officer)
            for recipient in recipients:
                sent += _send_once(
                    kind=kind,
                    obj_id=referral.pk,
                    recipient=recipient,
                    values=values,
                    path=path,
                    reference=referral.reference,
                )
    return sent


# --- Notifications (issue 17): content-free, a reference or a date and a link --------------

PANEL_SUBJECTS = {
    Kind.PANEL_SCHEDULED: _lazy("Channel panel scheduled for %(day)s"),
    Kind.PANEL_MOVED: _lazy("Channel panel moved to %(day)s"),
}
PANEL_BODY = _lazy(
    "You are a member of a Channel panel meeting on %(day)s. The invitation is attached for "
    "your calendar. The agenda and your pack are here:\n\n%(link)s"
)


@email_task
def send_panel_invitation(panel_id: str, kind: str) -> int:
    """Invite every member of a panel (or tell them it moved), with an ``.ics`` attached.

    May run twice: keyed on the panel and its SEQUENCE, so each member hears once per move.
    """
    panel = Panel.objects.filter(pk=panel_id).first()
    if panel is None or panel.held_at is not None:
        return 0
    path = reverse("channel:panel", args=[panel.pk])
    return notification_send(
        kind=kind,
        recipients=panel.members.filter(is_active=True),
        subject=PANEL_SUBJECTS[kind],
        body=PANEL_BODY,
        values={"day": OnDay(panel.date), "link": site_link(path)},
        path=path,
        reference=f"{panel.date:%Y-%m-%d}",
        attachments=[MailAttachment("channel-panel.ics", panel_ics(panel), ICS_MIMETYPE)],
        key=f"{kind}:{panel.pk}:{panel.sequence}",
    )


@email_task
def send_action_assigned(action_id: str) -> int:
    """Tell a panel action's owner it is theirs. May run twice: keyed on the action."""
    action = PanelAction.objects.select_related("panel", "referral", "owner").filter(pk=action_id)
    action = action.first()
    if action is None or action.owner is None:
        return 0
    path = reverse("channel:panel", args=[action.panel_id])
    reference = action.referral.reference if action.referral else f"{action.panel.date:%Y-%m-%d}"
    return notification_send(
        kind=Kind.ACTION_ASSIGNED,
        recipients=[action.owner],
        subject=_lazy("Channel panel action assigned to you: %(reference)s"),
        body=_lazy("A Channel panel gave you an action (%(reference)s).\n\n%(link)s"),
        values={"reference": reference, "link": site_link(path)},
        path=path,
        reference=reference,
        key=f"action_assigned:{action.pk}",
    )


@email_task
def send_intervention_allocated(intervention_id: str) -> int:
    """Tell an intervention provider a case's intervention is theirs. Keyed: may run twice."""
    intervention = (
        Intervention.objects.select_related("referral", "provider")
        .filter(pk=intervention_id)
        .first()
    )
    if intervention is None or intervention.provider is None:
        return 0
    reference = intervention.referral.reference
    path = reverse("channel:provider_list")
    return notification_send(
        kind=Kind.INTERVENTION_ALLOCATED,
        recipients=[intervention.provider],
        subject=_lazy("Channel intervention allocated to you: %(reference)s"),
        body=_lazy("An intervention for case %(reference)s has been allocated to you.\n\n%(link)s"),
        values={"reference": reference, "link": site_link(path)},
        path=path,
        reference=reference,
        key=f"intervention_allocated:{intervention.pk}:{intervention.provider_id}",
    )


@email_task
def send_agency_update_requested(request_id: str) -> int:
    """Tell the panel's members from an agency that the chair asks for their update on a
    case before the panel: the case's reference, the panel's date and the link where the
    update is added, nothing more. Keyed on the request: a re-run tells no one twice."""
    row = (
        AgencyUpdateRequest.objects.select_related("panel", "referral")
        .filter(pk=request_id)
        .first()
    )
    if row is None or row.panel.held_at is not None:
        return 0
    reference = row.referral.reference
    path = reverse("channel:agency_update", args=[row.panel_id, row.referral_id])
    return notification_send(
        kind=Kind.AGENCY_UPDATE_REQUESTED,
        recipients=row.panel.members.filter(is_active=True, agency_id=row.agency_id),
        subject=_lazy("Agency update requested before the Channel panel: %(reference)s"),
        body=_lazy(
            "The chair of the Channel panel on %(day)s asks your agency for an update on case "
            "%(reference)s before the panel.\n\n%(link)s"
        ),
        values={"reference": reference, "day": OnDay(row.panel.date), "link": site_link(path)},
        path=path,
        reference=reference,
        key=f"agency_update_requested:{row.pk}",
    )
