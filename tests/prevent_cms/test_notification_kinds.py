"""Every kind of notification (issue 17): sent once, however often the task or beat job that
sends it runs again, and never with a person's name in its subject, body or link.

``SENDERS`` has one entry per kind in ``Kind``: a kind added without one fails the first test.
Each entry makes what the kind is about and returns the job that sends it, as Celery would run
it again (an e-mail task redelivered with its id; a beat job on its next tick).
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role, User
from accounts.tasks import send_access_changed_email
from channel.models import PanelPack
from channel.reference_data import ensure_vaf
from channel.services.agenda import panel_add_case
from channel.services.interventions import intervention_add
from channel.services.packs import panel_pack_request
from channel.services.panels import panel_action_add, panel_create
from channel.services.update_requests import panel_update_request
from channel.tasks import (
    _send_pack_link,
    generate_panel_pack,
    send_action_assigned,
    send_agency_update_requested,
    send_channel_reminders,
    send_intervention_allocated,
    send_panel_invitation,
)
from persons.models import AreaTransfer
from persons.services import referral_transfer
from persons.tasks import send_transfer_email
from prevent_cms.models import Notification
from prevent_cms.notifications import (
    Delivery,
    Kind,
    notification_preferences_set,
    notification_send_digests,
)
from referrals.models import Addendum, BreakGlassGrant, Subject
from referrals.tasks import (
    send_addendum_email,
    send_break_glass_email,
    send_clock_breaches,
    send_referral_email,
)
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals import factories as rf
from tests.training.factories import ExpiringSoonRecordFactory, StaffMemberFactory
from training.models import StaffMember
from training.reminders import reminder_send


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _redelivered(task, *args):
    """An e-mail task as Celery runs it again after a lost acknowledgement: the same id."""
    task_id = f"{task.name}:{':'.join(str(a) for a in args)}"
    return lambda: task.apply(args=list(args), task_id=task_id)


def _referral_email(kind: str, **factory):
    def make(world, team):
        referral = cf.direct(rf.SubmittedFactory, world, team, **factory)
        return _redelivered(send_referral_email, str(referral.pk), kind)

    return make


def _council_copy(world, team):
    UserFactory(agency=world.council_a, roles=[Role.PREVENT_LEAD])
    return _referral_email("council_copy")(world, team)


def _addendum(world, team):
    referral = cf.direct(rf.SubmittedFactory, world, team)
    addendum = Addendum.objects.create(referral=referral, author=referral.referrer, text="More.")
    return _redelivered(send_addendum_email, str(addendum.pk))


def _entered_channel(world, team):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    return _redelivered(send_referral_email, str(referral.pk), "entered_channel")


def _clock(factory, **fields):
    def make(world, team):
        cf.direct(factory, world, team, **fields)
        return send_clock_breaches

    return make


def _break_glass(world, team):
    referral = cf.direct(rf.InPoliceAssessmentFactory, world, team)
    opener = UserFactory(agency=world.police_c, roles=[Role.PREVENT_OFFICER])
    grant = BreakGlassGrant.objects.create(
        referral=referral,
        user=opener,
        reason="Risk to life.",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    return _redelivered(send_break_glass_email, str(grant.pk))


def _channel_reminder(world, team):
    cf.direct(rf.ChannelPanelFactory, world, team, channel_entered_at=_ago(40))
    return send_channel_reminders


def _panel(team):
    return panel_create(
        actor=team.chair,
        date=timezone.localdate() + datetime.timedelta(days=5),
        location="Civic Centre",
        member_ids=[team.member.pk, team.officer.pk],
    )


def _panel_invitation(kind):
    def make(world, team):
        panel = _panel(team)
        return _redelivered(send_panel_invitation, str(panel.pk), kind)

    return make


def _pack_ready(world, team):
    panel = _panel(team)
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    generate_panel_pack(str(job.pk))  # the copies (their notices wait for the commit)
    packs = list(PanelPack.objects.filter(panel=panel).values_list("pk", flat=True))
    assert len(packs) == 3

    def run():
        for pack in packs:
            _send_pack_link(pack)

    return run


def _agency_update_requested(world, team):
    panel = _panel(team)
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    request = panel_update_request(
        panel_id=panel.pk,
        referral_id=referral.pk,
        agency_id=team.member.agency_id,
        actor=team.chair,
    )
    return _redelivered(send_agency_update_requested, str(request.pk))


def _action_assigned(world, team):
    panel = _panel(team)
    action = panel_action_add(
        panel_id=panel.pk, actor=team.chair, description="Call school", owner_id=team.member.pk
    )
    return _redelivered(send_action_assigned, str(action.pk))


def _intervention_allocated(world, team):
    referral = cf.direct(cf.SupportFactory, world, team)
    intervention = intervention_add(
        referral_id=referral.pk,
        actor=team.chair,
        data={
            "type": "education",
            "provider": str(team.provider.pk),
            "start_date": timezone.localdate(),
            "hours": 4,
        },
    )
    return _redelivered(send_intervention_allocated, str(intervention.pk))


def _training_reminder(world, team):
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
    return lambda: reminder_send(lead_id=lead.pk)


def _access_changed(world, team):
    actor = UserFactory(agency=world.council_a, roles=[Role.SYSTEM_ADMIN])
    UserFactory(agency=world.council_b, roles=[Role.SYSTEM_ADMIN])
    return _redelivered(send_access_changed_email, str(actor.pk), ["user.roles_changed"])


def _case_transfer(world, team):
    officer = rf.officer_for(world)
    rf.officer_for(world, agency=world.police_c)  # the receiving force's team
    referral = rf.assessed(world, officer=officer)
    referral_transfer(
        referral_id=referral.pk,
        actor=officer,
        to_local_authority_id=world.la_c.pk,
        to_police_force_id=world.other_force.pk,
        reason="The family moved to Westford.",
    )
    transfer = AreaTransfer.objects.get(referral=referral)
    return _redelivered(send_transfer_email, str(transfer.pk), "requested")


def _digest(world, team):
    referrer = rf.referrer_for(world)
    notification_preferences_set(actor=referrer, choices={Kind.RECEIPT: Delivery.DIGEST})
    referral = rf.SubmittedFactory(referrer=referrer)
    send_referral_email(str(referral.pk), "receipt")
    return notification_send_digests


SENDERS = {
    Kind.RECEIPT: _referral_email("receipt"),
    Kind.COUNCIL_COPY: _council_copy,
    Kind.ADDENDUM_ADDED: _addendum,
    Kind.REVIEWED: _referral_email("reviewed"),
    Kind.NEW_REFERRAL: _referral_email("new_referral"),
    Kind.URGENT_REFERRAL: _referral_email("new_referral", immediate_risk=True),
    Kind.TRIAGE_CLOCK_BREACHED: _clock(rf.SubmittedFactory, submitted_at=_ago(10)),
    Kind.ASSESSMENT_CLOCK_BREACHED: _clock(
        rf.InPoliceAssessmentFactory, assessment_started_at=_ago(40)
    ),
    Kind.ENTERED_CHANNEL: _entered_channel,
    Kind.BREAK_GLASS: _break_glass,
    Kind.CHANNEL_REMINDER: _channel_reminder,
    Kind.PANEL_SCHEDULED: _panel_invitation(Kind.PANEL_SCHEDULED),
    Kind.PANEL_MOVED: _panel_invitation(Kind.PANEL_MOVED),
    Kind.PACK_READY: _pack_ready,
    Kind.AGENCY_UPDATE_REQUESTED: _agency_update_requested,
    Kind.ACTION_ASSIGNED: _action_assigned,
    Kind.INTERVENTION_ALLOCATED: _intervention_allocated,
    Kind.TRAINING_REMINDER: _training_reminder,
    Kind.ACCESS_CHANGED: _access_changed,
    Kind.CASE_TRANSFER: _case_transfer,
    Kind.DIGEST: _digest,
}

# The monthly training reminder lists the agency's staff who must renew, by name, and greets
# the lead: by design of the training reminders (tests/training/test_reminders.py asserts the
# staff's names in it). Its subject, link and in-app row stay content-free like every kind.
NAMES_IN_BODY_BY_DESIGN = {Kind.TRAINING_REMINDER}


def test_every_kind_has_a_sender_under_test():
    assert set(SENDERS) == set(Kind.values)


def _invented(index: int) -> str:
    """A name no template can contain by chance: faker's surnames include words such as "Read",
    which the addendum e-mail's body uses ("Read it on the case page")."""
    letters = ""
    index += 26 * 26
    while index:
        index, rest = divmod(index, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
    return f"Zq{letters}"


def _give_everyone_invented_names() -> None:
    """Rename every person the e-mails could mention before they are sent, so that finding a
    name in one is always a leak and never an English word that is also a surname."""
    counter = iter(range(10_000))
    for model, fields in (
        (User, ("first_name", "last_name")),
        (Subject, ("first_name", "last_name")),
    ):
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(**{f: _invented(next(counter)) for f in fields})
    for pk in StaffMember.objects.values_list("pk", flat=True):
        StaffMember.objects.filter(pk=pk).update(
            name=f"{_invented(next(counter))} {_invented(next(counter))}"
        )


def _people_names() -> set[str]:
    names = set()
    for first, last in User.objects.values_list("first_name", "last_name"):
        names |= {first, last}
    for first, last in Subject.objects.values_list("first_name", "last_name"):
        names |= {first, last}
    for (name,) in StaffMember.objects.values_list("name"):
        names |= set(name.split())
    return {name for name in names if len(name) > 2}


def _named(text: str, names: set[str]) -> list[str]:
    return [name for name in names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)]


def _of_kind(kind: str) -> list:
    return [m for m in mail.outbox if getattr(m, "notify", {}).get("kind") == kind]


@pytest.mark.parametrize("kind", list(SENDERS))
def test_each_kind_is_sent_once_and_names_no_one(world, settings, tmp_path, kind):
    settings.MEDIA_ROOT = tmp_path
    ensure_vaf()
    team = cf.channel_team(world)
    run = SENDERS[kind](world, team)
    _give_everyone_invented_names()
    mail.outbox.clear()
    run()
    sent = len(_of_kind(kind))
    rows = list(Notification.objects.filter(kind=kind).exclude(kind=Kind.DIGEST))
    run()  # the task redelivered, or the beat job's next run
    assert sent >= 1, f"{kind}: nothing was e-mailed"
    assert len(_of_kind(kind)) == sent, f"{kind}: e-mailed again on a second run"
    again = Notification.objects.filter(kind=kind)
    assert again.count() == len(rows), f"{kind}: a second run added in-app rows"
    recipients = list(again.values_list("recipient", flat=True))
    assert len(recipients) == len(set(recipients)), f"{kind}: someone was told twice"
    names = _people_names()
    for row in again:
        assert _named(f"{row.subject} {row.path} {row.reference}", names) == [], kind
    for message in _of_kind(kind):
        assert _named(message.subject, names) == [], kind
        assert _named(message.notify["link"], names) == [], kind
        if kind not in NAMES_IN_BODY_BY_DESIGN:
            assert _named(message.body, names) == [], kind
