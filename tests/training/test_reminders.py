"""The monthly reminder: once per lead per month, own agency only, recorded."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db.models.signals import post_migrate
from django_celery_beat.models import PeriodicTask

from accounts.models import Role
from prevent_cms.models import OutboxMessage
from prevent_cms.schedule import beat_schedule_install
from tests.training.factories import (
    CurrentRecordFactory,
    ExpiredRecordFactory,
    ExpiringSoonRecordFactory,
    StaffMemberFactory,
)
from training.dates import month_start, today
from training.models import ReminderLog
from training.reminders import reminder_send, reminders_due
from training.tasks import send_monthly_reminders, send_reminder


@pytest.fixture
def lead(world):
    return world.user(Role.AGENCY_LEAD, agency=world.school_a)


def test_lead_gets_their_own_staff_once_a_month(world, lead, django_capture_on_commit_callbacks):
    soon = ExpiringSoonRecordFactory(
        staff=StaffMemberFactory(agency=world.school_a, name="Sam Soon")
    )
    gone = ExpiredRecordFactory(staff=StaffMemberFactory(agency=world.school_a, name="Eve Gone"))
    CurrentRecordFactory(staff=StaffMemberFactory(agency=world.school_a, name="Cara Fine"))
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.health_a, name="Other Agency"))
    world.user(Role.AGENCY_LEAD, agency=world.health_a, email="")  # no address: skipped

    with django_capture_on_commit_callbacks(execute=True):
        assert send_monthly_reminders() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [lead.email]
    assert "2 people in Northbridge Academy need to renew" in message.subject
    assert "Sam Soon" in message.body
    assert "Eve Gone" in message.body
    assert "Cara Fine" not in message.body
    assert "Other Agency" not in message.body
    log = ReminderLog.objects.get()
    assert (log.state, log.staff_count, log.period) == ("sent", 2, month_start())
    assert set(log.record_ids) == {str(soon.pk), str(gone.pk)}

    # Beat firing again, or the task being redelivered, sends nothing more this month.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_monthly_reminders() == 0
    send_reminder(str(lead.pk), month_start().isoformat())
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


def test_next_month_sends_again(world, lead):
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
    this_month = month_start()
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    reminder_send(lead_id=lead.pk, period=this_month)
    reminder_send(lead_id=lead.pk, period=this_month)
    reminder_send(lead_id=lead.pk, period=next_month)
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.count() == 2


def test_nothing_due_is_recorded_and_not_mailed(world, lead):
    CurrentRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
    log = reminder_send(lead_id=lead.pk)
    assert log.state == "nothing_due"
    assert mail.outbox == []
    assert reminders_due() == []


def test_a_failed_send_is_retried_later(world, lead, monkeypatch):
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.school_a))

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    # Every e-mail leaves through prevent_cms.notifications (issue 17).
    monkeypatch.setattr("prevent_cms.notifications.EmailMessage.send", broken)
    with pytest.raises(ConnectionError):
        reminder_send(lead_id=lead.pk)
    assert ReminderLog.objects.get().state == "sending"
    assert reminders_due() == [str(lead.pk)]
    monkeypatch.undo()
    assert reminder_send(lead_id=lead.pk).state == "sent"
    assert len(mail.outbox) == 1


def test_only_active_agency_leads_are_reminded(world, lead):
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
    borough = world.user(Role.BOROUGH_LEAD, agency=world.school_a)
    assert reminder_send(lead_id=borough.pk) is None
    lead.is_active = False
    lead.save()
    assert reminder_send(lead_id=lead.pk) is None
    assert mail.outbox == []


def test_the_only_record_counted_is_each_persons_latest(world, lead):
    staff = StaffMemberFactory(agency=world.school_a)
    ExpiredRecordFactory(staff=staff)
    CurrentRecordFactory(staff=staff)  # renewed since: nothing to remind about
    assert reminder_send(lead_id=lead.pk).state == "nothing_due"


def test_task_arguments_and_log_lines_hold_no_names(
    world, lead, caplog, django_capture_on_commit_callbacks
):
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.school_a, name="Zed Private"))
    with caplog.at_level("INFO"), django_capture_on_commit_callbacks(execute=True):
        send_monthly_reminders()
    assert "Zed Private" not in caplog.text
    assert lead.email not in caplog.text
    message = OutboxMessage.objects.get(task="training.tasks.send_reminder")
    assert message.args == [str(lead.pk), month_start().isoformat()]
    assert len(mail.outbox) == 1


def test_beat_schedule_is_installed_monthly(db):
    """``migrate`` installs the entry (post_migrate); installing again changes nothing."""
    assert any(entry[1]() is beat_schedule_install for entry in post_migrate.receivers)
    beat_schedule_install()
    beat_schedule_install()
    task = PeriodicTask.objects.get(task=send_monthly_reminders.name)
    assert (task.crontab.day_of_month, task.crontab.hour, task.crontab.minute) == ("1", "7", "0")


def test_period_is_a_month(world, lead):
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
    log = reminder_send(lead_id=lead.pk, period=date(2026, 5, 17), on=today())
    assert log.period == date(2026, 5, 1)
