"""Issue 19: every e-mail, and its line in the app, is worded in its recipient's language
(``User.language``); people who chose nothing get English, and addresses with no account
Welsh then English."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from channel.reference_data import ensure_vaf
from channel.services.panels import panel_create
from channel.tasks import send_panel_invitation
from prevent_cms.models import Notification
from prevent_cms.notifications import (
    Delivery,
    Kind,
    notification_preferences_set,
    notification_send,
    notification_send_digests,
    notification_send_external,
)
from referrals.tasks import SUBJECTS, send_referral_email
from tests.channel import factories as cf
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    ensure_vaf()
    return cf.channel_team(world)


def _welsh(person):
    person.language = "cy"
    person.save(update_fields=["language"])
    return person


def test_a_welsh_speaking_referrer_gets_their_receipt_in_welsh(world):
    referrer = _welsh(rf.referrer_for(world))
    referral = rf.SubmittedFactory(referrer=referrer)
    send_referral_email(str(referral.pk), "receipt")
    (message,) = mail.outbox
    assert message.subject == f"Atgyfeiriad Prevent wedi dod i law: {referral.reference}"
    assert message.body.startswith(f"Diolch. Mae eich atgyfeiriad Prevent {referral.reference}")
    assert "ffoniwch 999" in message.body
    assert "Thank you" not in message.body
    row = Notification.objects.get(recipient=referrer)
    assert row.subject == message.subject  # the in-app list says the same, in Welsh


def test_an_english_speaking_referrer_still_gets_english(world):
    referral = rf.SubmittedFactory(referrer=rf.referrer_for(world))
    with translation.override("cy"):  # whatever language the worker happens to be in
        send_referral_email(str(referral.pk), "receipt")
    (message,) = mail.outbox
    assert message.subject == f"Prevent referral received: {referral.reference}"
    assert "If anyone is in immediate danger, call 999." in message.body


def test_one_event_goes_out_once_per_language_each_in_its_own(world, team):
    """A panel's members: one message in Welsh to those who chose it, one in English to the
    rest, the date in each language, the same calendar file on both."""
    _welsh(team.member)
    day = timezone.localdate() + datetime.timedelta(days=3)
    panel = panel_create(
        actor=team.chair,
        date=day,
        location="Town Hall",
        member_ids=[team.member.pk, team.officer.pk],
    )
    mail.outbox.clear()
    assert send_panel_invitation(str(panel.pk), Kind.PANEL_SCHEDULED) == 2
    by_language = {("cy" if team.member.email in m.to else "en"): m for m in mail.outbox}
    assert sorted(by_language["cy"].to) == [team.member.email]
    assert team.member.email not in by_language["en"].to
    with translation.override("cy"):
        welsh_day = date_format(day, "j F Y")
    assert by_language["cy"].subject == f"Panel Channel wedi’i drefnu ar gyfer {welsh_day}"
    assert by_language["en"].subject == f"Channel panel scheduled for {day:%-d %B %Y}"
    assert by_language["cy"].attachments == by_language["en"].attachments
    rows = Notification.objects.filter(kind=Kind.PANEL_SCHEDULED)
    assert rows.get(recipient=team.member).subject == by_language["cy"].subject
    assert rows.get(recipient=team.officer).subject == by_language["en"].subject


def test_the_daily_digest_is_in_the_readers_language(world):
    referrer = _welsh(rf.referrer_for(world))
    notification_preferences_set(actor=referrer, choices={Kind.RECEIPT: Delivery.DIGEST})
    referral = rf.SubmittedFactory(referrer=referrer)
    send_referral_email(str(referral.pk), "receipt")
    assert notification_send_digests() == 1
    (digest,) = mail.outbox
    assert digest.subject == "Rheoli achosion Prevent: eich crynodeb dyddiol"
    assert f"Atgyfeiriad Prevent wedi dod i law: {referral.reference}" in digest.body


def test_words_given_ready_made_are_sent_as_they_are(world):
    """Plain text (a caller that words its own message) is not translated or formatted."""
    referrer = _welsh(rf.referrer_for(world))
    notification_send(
        kind=Kind.RECEIPT, recipients=[referrer], subject="100% plain", body="As {it} is"
    )
    (message,) = mail.outbox
    assert (message.subject, message.body) == ("100% plain", "As {it} is")


def test_addresses_without_an_account_get_welsh_then_english(world):
    """Whatever language the worker is in (tests/prevent_cms/test_bilingual_emails.py has
    each e-mail sent to a bare address)."""
    with translation.override("en-gb"):
        notification_send_external(
            kind=Kind.RECEIPT,
            addresses=["someone@example.org"],
            subject=SUBJECTS["receipt"],
            body=SUBJECTS["receipt"],
            values={"reference": "PRV-1"},
        )
    (message,) = mail.outbox
    assert message.subject == (
        "Atgyfeiriad Prevent wedi dod i law: PRV-1 / Prevent referral received: PRV-1"
    )
    assert message.body == (
        "Atgyfeiriad Prevent wedi dod i law: PRV-1\n\n---\n\nPrevent referral received: PRV-1"
    )
