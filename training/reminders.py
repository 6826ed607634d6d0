"""The monthly reminder to each agency lead of their staff whose training runs out soon.

Names go in this e-mail only, and only to a lead of the staff's own agency. One
``ReminderLog`` row per lead per month makes it run once: the row is locked while the e-mail is
sent, so two workers cannot both send it, and a month already sent is skipped.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.models import Role, User
from prevent_cms.audit import audit_record
from prevent_cms.notifications import Kind, language_of, notification_send

from . import conf
from .dates import Status, month_start, today
from .models import ReminderLog
from .selectors import agency_leads_to_remind, records_due_for_reminder


def _log_for(lead: User, period: date) -> ReminderLog:
    try:
        with transaction.atomic():
            log, _created = ReminderLog.objects.get_or_create(
                lead=lead, period=period, defaults={"agency_id": lead.agency_id}
            )
    except IntegrityError:
        log = ReminderLog.objects.get(lead=lead, period=period)
    return log


def reminder_send(*, lead_id, period: date | None = None, on: date | None = None):
    """Send one lead this month's reminder unless it has already gone. Returns the log row."""
    period = month_start(period)
    on = on or today()
    lead = User.objects.select_related("agency").filter(pk=lead_id, is_active=True).first()
    if lead is None or not lead.agency_id or not lead.email or not lead.has_role(Role.AGENCY_LEAD):
        return None
    log = _log_for(lead, period)
    with transaction.atomic():
        log = ReminderLog.objects.select_for_update().get(pk=log.pk)
        if log.state != ReminderLog.State.SENDING:
            return log
        until = on + timedelta(days=conf.reminder_days())
        records = list(records_due_for_reminder(agency=lead.agency, on=on, until=until))
        log.record_ids = [str(r.pk) for r in records]
        log.staff_count = len(records)
        if records:
            _send(lead=lead, records=records, on=on, key=f"training_reminder:{log.pk}")
            log.state = ReminderLog.State.SENT
            log.sent_at = timezone.now()
        else:
            log.state = ReminderLog.State.NOTHING_DUE
        log.save()
        audit_record(
            actor=None,
            action=f"training.reminder.{log.state}",
            obj=log,
            detail={"lead": str(lead.pk), "agency": str(lead.agency_id), "records": len(records)},
        )
    return log


def _send(*, lead: User, records: list, on: date, key: str) -> None:
    # In the lead's own language (issue 19): the reminder names their staff, for them alone.
    with translation.override(language_of(lead)):
        expired = [r for r in records if r.status(on) == Status.EXPIRED]
        due = [r for r in records if r.status(on) != Status.EXPIRED]
        context = {
            "lead": lead,
            "agency": lead.agency,
            "expired": expired,
            "due": due,
            "days": conf.reminder_days(),
            "url": settings.SITE_URL.rstrip("/") + reverse("training:dashboard"),
            "service_name": gettext(settings.SERVICE_NAME),
        }
        subject = ngettext(
            "Prevent training: %(count)s person in %(agency)s needs to renew",
            "Prevent training: %(count)s people in %(agency)s need to renew",
            len(records),
        ) % {"count": len(records), "agency": lead.agency.name}
        body = render_to_string("training/email/reminder.txt", context)
        notification_send(
            kind=Kind.TRAINING_REMINDER,
            recipients=[lead],
            subject=subject,
            body=body,
            path=reverse("training:dashboard"),
            key=key,
        )


def reminders_due(period: date | None = None) -> list[str]:
    """Ids of the agency leads still to be reminded this month."""
    period = month_start(period)
    done = ReminderLog.objects.filter(period=period).exclude(state=ReminderLog.State.SENDING)
    leads = agency_leads_to_remind().exclude(pk__in=done.values("lead_id"))
    return [str(pk) for pk in leads.values_list("pk", flat=True)]
