"""The Channel clocks' readers all read the one definition (``prevent_cms.clocks``, issue
17): a deployment's threshold moves the case lists, the provider's next review, the
reminders and the chair's Today line together."""

import datetime

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from channel.selectors import cases_awaiting_panel, next_review_on, reviews_due
from channel.tasks import send_channel_reminders
from channel.work import chair_work
from tests.channel import factories as cf
from tests.referrals import factories as rf


def test_the_support_review_interval_moves_every_reader(world, team):
    adopted = timezone.now() - datetime.timedelta(days=8)
    referral = cf.direct(cf.SupportFactory, world, team, adopted_at=adopted)
    intervention = cf.intervention(team, referral)
    assert referral not in reviews_due(team.chair)
    with override_settings(CHANNEL_SUPPORT_REVIEW_INTERVAL_DAYS=7):
        assert next_review_on(intervention) == timezone.localdate(adopted) + datetime.timedelta(
            days=7
        )
        assert referral in reviews_due(team.chair)


def test_the_time_to_panel_threshold_moves_the_lists_the_reminders_and_the_today_line(world, team):
    entered = timezone.now() - datetime.timedelta(days=12)
    referral = cf.direct(rf.ChannelPanelFactory, world, team, channel_entered_at=entered)
    assert referral not in cases_awaiting_panel(team.chair, overdue_only=True)
    with override_settings(REFERRAL_CLOCKS={"channel_panel_days": 10}):
        assert referral in cases_awaiting_panel(team.chair, overdue_only=True)
        lines = {item.kind: item for item in chair_work(team.chair, timezone.localdate())}
        assert "10 days or more" in str(lines["awaiting_panel_overdue"].label)
        assert send_channel_reminders() >= 1
    assert any(referral.reference in message.subject for message in mail.outbox)
