"""The chair tells a panel's members (issue 17): moving a panel (page and API; each member
told once, with an updated .ics: the same UID, a higher SEQUENCE, METHOD:REQUEST) and asking
an agency for its update before the panel (its members told once, reference and link only;
their Today page lists the updates their agency owes until one is added)."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from channel.models import AgencyUpdateRequest
from channel.services.agenda import panel_add_case
from channel.services.panels import agency_update_add, panel_create
from channel.tasks import send_agency_update_requested
from prevent_cms.models import Notification
from prevent_cms.notifications import Kind
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals import factories as rf


def _day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _date_fields(day: datetime.date) -> dict:
    return {"date_0": str(day.day), "date_1": str(day.month), "date_2": str(day.year)}


@pytest.fixture
def panel(world, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return panel_create(
            actor=team.chair, date=_day(7), location="Town Hall", member_ids=[team.member.pk]
        )


def _event(message) -> tuple[icalendar.Calendar, icalendar.Event]:
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    return calendar, calendar.walk("VEVENT")[0]


def _work(client) -> list[dict]:
    return client.get(reverse("api:my-work")).json()["items"]


def _moved_mails(person) -> list:
    return [m for m in mail.outbox if "moved" in m.subject and person.email in m.to]


def test_the_chair_moves_a_panel_on_a_page_and_each_member_gets_the_new_ics_once(
    client, team, panel, django_capture_on_commit_callbacks
):
    (invitation,) = [m for m in mail.outbox if team.member.email in m.to]
    _calendar, first = _event(invitation)
    client.force_login(team.chair)
    url = reverse("channel:panel_move", args=[panel.pk])
    page = client.get(url).content.decode()
    assert 'name="date_0"' in page
    assert 'name="date_2"' in page  # the GOV.UK three-field date input
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**_date_fields(_day(9)), "location": "Civic Centre"})
    assert response.status_code == 302
    (moved,) = _moved_mails(team.member)
    calendar, event = _event(moved)
    assert str(calendar.get("method")) == "REQUEST"
    assert str(event.get("uid")) == str(first.get("uid"))
    assert int(event.get("sequence")) == int(first.get("sequence")) + 1
    assert event.decoded("dtstart") == _day(9)
    assert str(event.get("location")) == "Civic Centre"
    # The same day and place again: nothing changes, no one is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_date_fields(_day(9)), "location": ""})
    assert len(_moved_mails(team.member)) == 1
    assert Notification.objects.filter(kind=Kind.PANEL_MOVED, recipient=team.member).count() == 1
    for message in mail.outbox:
        assert team.chair.last_name not in message.subject + message.body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date_0": "", "date_1": "", "date_2": ""}, "Enter the new date of the panel"),
        ({"date_0": "31", "date_1": "2", "date_2": "2027"}, "must be a real date"),
        ({"date_0": "1", "date_1": "", "date_2": "2027"}, "must include a month"),
        (_date_fields(datetime.date(2020, 1, 6)), "must be today or in the future"),
    ],
)
def test_the_move_page_says_what_is_wrong_with_the_date(client, team, panel, fields, message):
    client.force_login(team.chair)
    response = client.post(reverse("channel:panel_move", args=[panel.pk]), fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


def test_only_the_chair_may_move_a_panel(client, world, team, panel):
    client.force_login(team.member)
    assert client.get(reverse("channel:panel_move", args=[panel.pk])).status_code == 403
    api = reverse("api:channel-panel-move", args=[panel.pk])
    response = client.post(api, {"date": _day(9).isoformat()}, content_type="application/json")
    assert response.status_code == 403
    elsewhere = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    client.force_login(elsewhere)
    assert client.get(reverse("channel:panel_move", args=[panel.pk])).status_code == 404


def test_the_api_moves_a_panel_once_and_refuses_a_held_one(
    client, world, team, panel, django_capture_on_commit_callbacks
):
    client.force_login(team.chair)
    url = reverse("api:channel-panel-move", args=[panel.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"date": _day(10).isoformat()}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["date"] == _day(10).isoformat()
    (moved,) = _moved_mails(team.member)
    calendar, event = _event(moved)
    assert (str(calendar.get("method")), int(event.get("sequence"))) == ("REQUEST", 1)
    bad = client.post(url, {"date": "next week"}, content_type="application/json")
    assert bad.status_code == 400
    assert "YYYY-MM-DD" in bad.content.decode()
    type(panel).objects.filter(pk=panel.pk).update(held_at=timezone.now())  # held
    held = client.post(url, {"date": _day(12).isoformat()}, content_type="application/json")
    assert held.status_code == 409


# --- Agency update requested -----------------------------------------------------------------


@pytest.fixture
def agenda(world, team, panel):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    return referral


def test_the_chair_asks_an_agency_and_its_members_are_told_once(
    client, world, team, panel, agenda, django_capture_on_commit_callbacks
):
    colleague = UserFactory(agency=team.member.agency, roles=[Role.PANEL_MEMBER])
    outsider = UserFactory(agency=team.member.agency, roles=[Role.PANEL_MEMBER])
    panel.members.add(colleague)
    client.force_login(team.chair)
    url = reverse("channel:panel_update_requests", args=[panel.pk])
    assert agenda.reference in client.get(url).content.decode()
    form = {"referral": str(agenda.pk), "agency": str(team.member.agency_id)}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, form).status_code == 302
        client.post(url, form)  # asked again: no one is told twice
    request = AgencyUpdateRequest.objects.get()
    send_agency_update_requested(str(request.pk))  # a redelivery
    told = Notification.objects.filter(kind=Kind.AGENCY_UPDATE_REQUESTED)
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [team.member.pk, colleague.pk]
    )
    assert outsider.pk not in told.values_list("recipient", flat=True)
    path = reverse("channel:agency_update", args=[panel.pk, agenda.pk])
    for row in told:
        assert (row.reference, row.path) == (agenda.reference, path)
    mails = [m for m in mail.outbox if "update requested" in m.subject]
    assert len(mails) == 1
    assert sorted(mails[0].to) == sorted([team.member.email, colleague.email])
    for name in (agenda.subject.first_name, agenda.subject.last_name, team.chair.last_name):
        assert name not in mails[0].subject + mails[0].body
    assert agenda.reference in mails[0].subject


def test_the_members_today_lists_the_updates_their_agency_owes_until_one_is_added(
    client, world, team, panel, agenda
):
    from channel.services.update_requests import panel_update_request

    panel_update_request(
        panel_id=panel.pk,
        referral_id=agenda.pk,
        agency_id=team.member.agency_id,
        actor=team.chair,
    )
    client.force_login(team.member)
    items = client.get(reverse("api:my-work")).json()["items"]
    owed = [item for item in items if item["kind"] == "update_owed"]
    assert [item["reference"] for item in owed] == [agenda.reference]
    assert owed[0]["section"] == "Updates my agency owes"
    assert owed[0]["url"].endswith(reverse("channel:agency_update", args=[panel.pk, agenda.pk]))
    assert "Updates my agency owes" in client.get(reverse("home")).content.decode()
    client.force_login(team.chair)  # the panel's readiness on the chair's Today page
    (line,) = [i for i in _work(client) if i["kind"] == "updates_owed"]
    assert line["label"] == "1 agency update asked for and not yet added"
    client.force_login(team.member)
    agency_update_add(
        panel_id=panel.pk, referral_id=agenda.pk, actor=team.member, text="Attending well."
    )
    assert [item for item in _work(client) if item["kind"] == "update_owed"] == []
    client.force_login(team.chair)
    assert [item for item in _work(client) if item["kind"] == "updates_owed"] == []
    page = client.get(reverse("channel:panel_update_requests", args=[panel.pk]))
    assert "Received" in page.content.decode()


def test_the_update_request_api(client, world, team, panel, agenda):
    client.force_login(team.chair)
    url = reverse("api:channel-panel-update-requests", args=[panel.pk])
    body = {"referral": str(agenda.pk), "agency": str(team.member.agency_id)}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    row = response.json()
    assert (row["reference"], row["owed"]) == (agenda.reference, True)
    assert client.get(response["Location"]).json()["id"] == row["id"]
    assert client.get(url).json()["count"] == 1
    wrong = client.post(
        url, {"referral": str(agenda.pk), "agency": str(world.school_c.pk)}, "application/json"
    )
    assert wrong.status_code == 400
    assert "Select an agency with a member on this panel" in wrong.content.decode()
    client.force_login(team.member)
    assert client.get(url).json()["count"] == 1  # their own agency's
    assert client.post(url, body, content_type="application/json").status_code == 403
