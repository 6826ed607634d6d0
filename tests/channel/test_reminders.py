"""Daily reminders: the right clocks, a link and no personal details, never twice a day."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from channel.tasks import send_channel_reminders
from referrals import services as referral_services
from referrals.models import Referral
from tests.channel import factories as cf
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


def test_reminders_are_sent_once_a_day(world, team, django_capture_on_commit_callbacks):
    waiting = cf.direct(rf.ChannelPanelFactory, world, team)
    Referral.objects.filter(pk=waiting.pk).update(
        channel_entered_at=timezone.now() - datetime.timedelta(days=40)
    )
    in_support = cf.direct(cf.SupportFactory, world, team)
    Referral.objects.filter(pk=in_support.pk).update(  # reviews fall due from adoption
        state_changed_at=timezone.now() - datetime.timedelta(days=45),
        adopted_at=timezone.now() - datetime.timedelta(days=50),
    )
    declined = cf.direct(cf.AwaitingConsentFactory, world, team)
    referral_services.referral_transition(
        referral_id=declined.pk,
        name="close",
        actor=team.chair,
        payload={
            "reason": "consent_declined",
            "rationale": "Family declined.",
            "reassess_on": cf.today(),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = send_channel_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_channel_reminders()
    assert first >= 3
    assert second == 0
    references = {m.subject.split(": ")[1] for m in mail.outbox}
    assert {waiting.reference, in_support.reference, declined.reference} <= references
    for message in mail.outbox:
        assert waiting.subject.last_name not in message.body
        assert "http" in message.body
    assert len(mail.outbox) == first


def test_reminder_schedule_exists(db):
    assert PeriodicTask.objects.filter(task="channel.tasks.send_channel_reminders").exists()
