"""Notifications (issue 17): every e-mail mirrored in the app, each kind sent once, never a
name; delivery as each person chooses; panel invitations carry an .ics that parses."""

import datetime

import icalendar
import jsonschema
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from channel.models import PanelPack
from channel.reference_data import ensure_vaf
from channel.services.agenda import panel_add_case
from channel.services.interventions import intervention_add
from channel.services.packs import panel_pack_request
from channel.services.panels import panel_action_add, panel_create, panel_reschedule
from channel.tasks import (
    generate_panel_pack,
    send_action_assigned,
    send_intervention_allocated,
    send_panel_invitation,
)
from prevent_cms.errors import GuardFailed
from prevent_cms.models import Notification
from prevent_cms.notifications import (
    MANDATORY,
    Delivery,
    Kind,
    notification_preferences_set,
    notification_send_digests,
)
from referrals import services
from referrals.models import Referral
from referrals.tasks import send_clock_breaches, send_referral_email
from tests.channel import factories as cf
from tests.referrals import factories as rf

from .source_tree import files_containing

MAIL_FUNCTIONS = ("send_mail(", "send_mass_mail(", "mail_admins(", "mail_managers(")


def test_every_email_leaves_through_the_one_notification_module():
    """The in-app list mirrors every e-mail because nothing else sends one."""
    for function in MAIL_FUNCTIONS:
        assert files_containing(function) == [], function
    assert files_containing("EmailMessage(") == ["prevent_cms/notifications.py"]


def _names(*people) -> list[str]:
    names = []
    for person in people:
        names += [person.first_name, person.last_name]
    return [n for n in names if n]


def _assert_content_free(names: list[str]) -> None:
    rows = list(Notification.objects.all())
    assert rows
    for row in rows:
        for name in names:
            assert name not in row.subject
            assert name not in row.path
            assert name not in row.reference
    for message in mail.outbox:
        for name in names:
            assert name not in message.subject
            assert name not in message.body
            for attachment in message.attachments:
                content = attachment[1]
                text = content.decode() if isinstance(content, bytes) else content
                assert name not in text


def _old(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_clock_breaches_go_to_the_assigned_officer_or_the_forces_officers_once(world):
    officer = rf.officer_for(world)
    colleague = rf.officer_for(world)
    waiting = rf.SubmittedFactory(referrer=rf.referrer_for(world), submitted_at=_old(10))
    assessing = rf.InPoliceAssessmentFactory(
        referrer=rf.referrer_for(world), assigned_officer=officer, assessment_started_at=_old(40)
    )
    rf.SubmittedFactory(referrer=rf.referrer_for(world))  # its clock has not run out
    send_clock_breaches()
    triage = Notification.objects.filter(kind=Kind.TRIAGE_CLOCK_BREACHED)
    assert set(triage.values_list("recipient", flat=True)) >= {officer.pk, colleague.pk}
    assert set(triage.values_list("reference", flat=True)) == {waiting.reference}
    assessment = Notification.objects.filter(kind=Kind.ASSESSMENT_CLOCK_BREACHED)
    assert list(assessment.values_list("recipient", "reference")) == [
        (officer.pk, assessing.reference)
    ]
    count, mails = Notification.objects.count(), len(mail.outbox)
    send_clock_breaches()  # the beat task's next run
    assert Notification.objects.count() == count
    assert len(mail.outbox) == mails
    _assert_content_free(_names(officer, colleague, waiting.subject, assessing.subject))


def test_a_clock_breach_cannot_be_switched_off(world):
    officer = rf.officer_for(world)
    with pytest.raises(GuardFailed):
        notification_preferences_set(
            actor=officer, choices={Kind.TRIAGE_CLOCK_BREACHED: Delivery.IN_APP}
        )
    assert Kind.URGENT_REFERRAL in MANDATORY


def test_an_urgent_referral_says_urgent_and_the_chair_hears_of_channel(
    world, django_capture_on_commit_callbacks
):
    officer = rf.officer_for(world)
    chair = rf.chair_for(world)
    with django_capture_on_commit_callbacks(execute=True):
        referral = rf.submitted(world, immediate_risk=True)
    urgent = [m for m in mail.outbox if officer.email in m.to]
    assert len(urgent) == 1
    assert urgent[0].subject.startswith("Urgent")
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_transition(
            referral_id=referral.pk, name="start_assessment", actor=officer
        )
        services.assessment_record(
            referral_id=referral.pk,
            actor=officer,
            data={
                "deconfliction": "cleared",
                "concern_type": "extreme_right_wing",
                "screening": "clear_vulnerability",
                "vulnerabilities": [],
                "risk_summary": "Summary.",
            },
        )
        services.referral_transition(
            referral_id=referral.pk,
            name="refer_to_channel",
            actor=officer,
            payload={"rationale": "Needs multi-agency support."},
        )
    told = Notification.objects.get(recipient=chair, kind=Kind.ENTERED_CHANNEL)
    assert told.reference == referral.reference
    assert told.path == reverse("channel:case", args=[referral.pk])
    assert [m for m in mail.outbox if chair.email in m.to]
    _assert_content_free(_names(officer, chair, referral.subject, referral.referrer))


def test_a_redelivered_referral_email_is_sent_once(world):
    referral = rf.SubmittedFactory(referrer=rf.referrer_for(world))
    for _ in range(2):  # a redelivery keeps the task's id
        send_referral_email.apply(args=[str(referral.pk), "receipt"], task_id="fixed-id")
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind=Kind.RECEIPT).count() == 1


@pytest.fixture
def team(world):
    ensure_vaf()
    return cf.channel_team(world)


def test_panel_invitations_carry_an_ics_that_parses_and_a_move_replaces_it(
    world, team, django_capture_on_commit_callbacks
):
    day = timezone.localdate() + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        panel = panel_create(
            actor=team.chair, date=day, location="Town Hall", member_ids=[team.member.pk]
        )
    invitation = next(m for m in mail.outbox if team.member.email in m.to)
    assert "scheduled" in invitation.subject
    name, content, mimetype = invitation.attachments[0]
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == day
    assert int(event.get("sequence")) == 0
    uid = str(event.get("uid"))
    with django_capture_on_commit_callbacks(execute=True):
        panel_reschedule(panel_id=panel.pk, actor=team.chair, date=day + datetime.timedelta(1))
    moved = [m for m in mail.outbox if "moved" in m.subject and team.member.email in m.to]
    assert len(moved) == 1
    event = icalendar.Calendar.from_ical(moved[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event.get("uid")) == uid
    assert int(event.get("sequence")) == 1
    count = len(mail.outbox)
    send_panel_invitation(str(panel.pk), Kind.PANEL_MOVED)  # a second delivery
    assert len(mail.outbox) == count
    kinds = set(Notification.objects.filter(recipient=team.member).values_list("kind", flat=True))
    assert kinds == {Kind.PANEL_SCHEDULED, Kind.PANEL_MOVED}
    _assert_content_free(_names(team.chair, team.member))


def test_action_and_intervention_owners_are_told_once(
    world, team, django_capture_on_commit_callbacks
):
    referral = cf.direct(cf.SupportFactory, world, team)
    panel = panel_create(
        actor=team.chair,
        date=timezone.localdate() + datetime.timedelta(days=3),
        location="Town Hall",
        member_ids=[team.member.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        action = panel_action_add(
            panel_id=panel.pk, actor=team.chair, description="Call school", owner_id=team.member.pk
        )
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
    send_action_assigned(str(action.pk))
    send_intervention_allocated(str(intervention.pk))
    assert (
        Notification.objects.filter(kind=Kind.ACTION_ASSIGNED, recipient=team.member).count() == 1
    )
    allocated = Notification.objects.filter(
        kind=Kind.INTERVENTION_ALLOCATED, recipient=team.provider
    )
    assert list(allocated.values_list("reference", flat=True)) == [referral.reference]
    _assert_content_free(_names(team.chair, team.member, team.provider, referral.subject))


def test_the_pack_ready_notice_goes_to_each_recipient_once(
    world, team, tmp_path, settings, django_capture_on_commit_callbacks
):
    """One message per recipient: "pack ready" and the single-use link are the same notice,
    and a re-run of the job sends neither again."""
    settings.MEDIA_ROOT = tmp_path
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = panel_create(
        actor=team.chair,
        date=timezone.localdate() + datetime.timedelta(days=3),
        location="Town Hall",
        member_ids=[team.member.pk, team.officer.pk],
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
        generate_panel_pack(str(job.pk))
    ready = Notification.objects.filter(kind=Kind.PACK_READY)
    people = (team.chair, team.member, team.officer)
    assert sorted(ready.values_list("recipient", flat=True)) == sorted(p.pk for p in people)
    for person in people:
        (message,) = [m for m in mail.outbox if person.email in m.to]
        assert message.to == [person.email]
        (row,) = ready.filter(recipient=person)
        assert row.path in message.body
        copy = PanelPack.objects.get(panel=panel, recipient=person)
        assert row.path == reverse("channel:pack_link", args=[copy.pk])
    assert Notification.objects.count() == len(people)
    _assert_content_free(_names(team.chair, team.member, referral.subject))


def test_delivery_follows_each_persons_choice(world):
    referrer = rf.referrer_for(world)
    notification_preferences_set(actor=referrer, choices={Kind.RECEIPT: Delivery.DIGEST})
    first = rf.SubmittedFactory(referrer=referrer)
    send_referral_email(str(first.pk), "receipt")
    assert mail.outbox == []
    notification_preferences_set(actor=referrer, choices={Kind.RECEIPT: Delivery.IN_APP})
    second = rf.SubmittedFactory(referrer=referrer)
    send_referral_email(str(second.pk), "receipt")
    assert notification_send_digests() == 1
    assert notification_send_digests() == 0
    (digest,) = mail.outbox
    assert first.reference in digest.body
    assert second.reference not in digest.body
    assert Notification.objects.filter(recipient=referrer).count() == 2


def test_the_list_page_counts_unread_and_marks_read(client, world):
    referrer = rf.referrer_for(world)
    referral = rf.SubmittedFactory(referrer=referrer)
    send_referral_email(str(referral.pk), "receipt")
    client.force_login(referrer)
    page = client.get(reverse("notifications")).content.decode()
    assert referral.reference in page
    assert "1 unread" in page
    row = Notification.objects.get(recipient=referrer)
    response = client.post(reverse("notification_read", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.read_at is not None
    other = rf.referrer_for(world)
    client.force_login(other)
    assert client.post(reverse("notification_read", args=[row.pk])).status_code == 404


def test_the_api_lists_marks_read_and_sets_preferences(client, world):
    referrer = rf.referrer_for(world)
    referral = rf.SubmittedFactory(referrer=referrer)
    send_referral_email(str(referral.pk), "receipt")
    client.force_login(referrer)
    listed = client.get(reverse("api:notification-list")).json()
    assert listed["count"] == 1
    (row,) = listed["results"]
    assert row["reference"] == referral.reference
    assert row["read"] is False
    read = client.post(reverse("api:notification-read", args=[row["id"]]))
    assert read.status_code == 200
    assert read.json()["read"] is True
    url = reverse("api:notification-preferences")
    assert client.get(url).json()["receipt"] == "email"
    saved = client.put(url, {"receipt": "digest"}, content_type="application/json")
    assert saved.status_code == 200
    assert saved.json()["receipt"] == "digest"
    refused = client.put(url, {"urgent_referral": "in_app"}, content_type="application/json")
    assert refused.status_code == 400
    assert Referral.objects.filter(pk=referral.pk).exists()


def _preferences_request_schema() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    put = schema["paths"]["/api/v1/me/notification-preferences/"]["put"]
    ref = put["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return {**body, "components": schema["components"]}


def test_every_choice_the_preferences_schema_allows_is_taken(client, world):
    """schemathesis (make api-check) sent ``assessment_clock_breached: in_app``, valid by the
    schema, and got 400: the schema now offers a mandatory kind ``email`` only."""
    schema = _preferences_request_schema()
    client.force_login(rf.referrer_for(world))
    url = reverse("api:notification-preferences")
    components = schema["components"]["schemas"]
    for kind, field in schema["properties"].items():
        ref = (field.get("allOf") or [field])[0]["$ref"].rsplit("/", 1)[-1]
        for delivery in components[ref]["enum"]:
            saved = client.put(url, {kind: delivery}, content_type="application/json")
            assert saved.status_code == 200, (kind, delivery, saved.json())


def test_the_preferences_schema_refuses_what_the_server_refuses(client, world):
    """The exact body schemathesis found, and a key naming no kind: both 400, both invalid
    by the published schema."""
    validator = jsonschema.Draft202012Validator(_preferences_request_schema())
    client.force_login(rf.referrer_for(world))
    url = reverse("api:notification-preferences")
    found = {"pack_ready": "digest", "channel_reminder": "in_app"}
    for body in (
        {**found, "assessment_clock_breached": "in_app"},
        {"pack_ready": "digest", "no_such_kind": "email"},
    ):
        assert client.put(url, body, content_type="application/json").status_code == 400
        assert not validator.is_valid(body), body
    valid = {"pack_ready": "digest", "assessment_clock_breached": "email"}
    assert validator.is_valid(valid)
    assert client.put(url, valid, content_type="application/json").status_code == 200
