"""The outreach mailing list, double opt-in (issue 21): an address a borough lead adds is on
the list only once its owner follows the one-time link e-mailed to it (single-use, expiring);
every reminder to the list is content-free and carries the contact's own unsubscribe link,
which works without signing in; every e-mail leaves through Django's mail framework."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from partnership.models import ContactStatus, MailingContact, MailingSend
from partnership.selectors import mailing_list
from partnership.services import mailing as services
from partnership.tasks import send_mailing_reminder
from prevent_cms.errors import Conflict
from prevent_cms.models import AuditEvent

from .conftest import api

pytestmark = pytest.mark.django_db

ADDRESS = "qxdsl@northbridge-primary.example.sch.uk"
LINK = re.compile(r"https?://\S+/mailing-list/(confirm|unsubscribe)/(\S+)/")


def _add(people, captured, address=ADDRESS) -> MailingContact:
    with captured(execute=True):
        return services.mailing_contact_add(actor=people.lead, email=address)


def _path(message, kind: str) -> str:
    match = next(m for m in LINK.finditer(message.body) if m.group(1) == kind)
    return f"/mailing-list/{kind}/{match.group(2)}/"


def _confirm(people, captured, address=ADDRESS) -> MailingContact:
    _add(people, captured, address)
    message = next(m for m in mail.outbox if m.to == [address])
    assert Client().post(_path(message, "confirm")).status_code == 200
    return MailingContact.objects.get(email=address)


def test_an_added_address_is_not_on_the_list_until_its_owner_confirms(
    world, people, django_capture_on_commit_callbacks
):
    contact = _add(people, django_capture_on_commit_callbacks)
    assert contact.status == ContactStatus.PENDING
    assert not mailing_list(local_authority_id=world.la_a.pk).exists()
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert "Northbridge" in message.subject
    path = _path(message, "confirm")
    assert ADDRESS.split("@")[0] not in path  # only an opaque token in the link
    contact.refresh_from_db()
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert contact.confirm_token_hash not in {"", token}  # the token is kept only as its hash
    anonymous = Client()
    page = anonymous.get(path)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200
    assert "Confirm and join" in page.content.decode()
    assert not mailing_list(local_authority_id=world.la_a.pk).exists()
    assert anonymous.post(path).status_code == 200
    assert list(mailing_list(local_authority_id=world.la_a.pk)) == [contact]
    assert AuditEvent.objects.filter(action="partnership.mailing_contact.confirmed").exists()


def test_the_confirmation_link_works_once(people, django_capture_on_commit_callbacks):
    _add(people, django_capture_on_commit_callbacks)
    path = _path(mail.outbox[0], "confirm")
    assert Client().post(path).status_code == 200
    again = Client().post(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    shown = Client().get(path)  # the page says the link does not work, and offers no button
    assert "already been used" in shown.content.decode()
    assert "Confirm and join" not in shown.content.decode()


def test_the_confirmation_link_expires(world, people, django_capture_on_commit_callbacks):
    contact = _add(people, django_capture_on_commit_callbacks)
    MailingContact.objects.filter(pk=contact.pk).update(
        confirm_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = Client().post(_path(mail.outbox[0], "confirm"))
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()
    assert not mailing_list(local_authority_id=world.la_a.pk).exists()


def test_adding_again_sends_a_new_link_and_the_old_one_stops_working(
    people, django_capture_on_commit_callbacks
):
    _add(people, django_capture_on_commit_callbacks)
    _add(people, django_capture_on_commit_callbacks, address=ADDRESS.upper())
    first, second = (_path(m, "confirm") for m in mail.outbox)
    assert MailingContact.objects.count() == 1
    assert Client().post(first).status_code == 410
    assert Client().post(second).status_code == 200
    with pytest.raises(Conflict):
        services.mailing_contact_add(actor=people.lead, email=ADDRESS)


def test_a_reminder_goes_to_confirmed_contacts_only_each_with_their_own_unsubscribe_link(
    world, people, django_capture_on_commit_callbacks
):
    with pytest.raises(Conflict):  # nobody on the list yet
        services.mailing_list_send(actor=people.lead)
    on_list = [
        _confirm(people, django_capture_on_commit_callbacks, f"qxperson{n}@example.org")
        for n in (1, 2)
    ]
    _add(people, django_capture_on_commit_callbacks, "qxwaiting@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send = services.mailing_list_send(actor=people.lead)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "qxperson1@example.org",
        "qxperson2@example.org",
    ]
    for message in mail.outbox:
        contact = next(c for c in on_list if c.email == message.to[0])
        path = _path(message, "unsubscribe")
        assert path == f"/mailing-list/unsubscribe/{contact.unsubscribe_token}/"
        assert message.extra_headers["List-Unsubscribe"].endswith(f"{path}>")
        assert "qxperson" not in message.body  # content-free: nobody's name or address
    # The task run again (a redelivery) mails nobody twice.
    send_mailing_reminder(str(send.pk))
    assert len(mail.outbox) == 2
    assert len(MailingSend.objects.get().delivered) == 2


def test_unsubscribing_works_without_signing_in_and_takes_them_off_the_list(
    world, people, django_capture_on_commit_callbacks
):
    contact = _confirm(people, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.mailing_list_send(actor=people.lead)
    path = _path(mail.outbox[0], "unsubscribe")
    anonymous = Client()
    assert "Unsubscribe" in anonymous.get(path).content.decode()
    assert MailingContact.objects.get(pk=contact.pk).status == ContactStatus.CONFIRMED
    assert anonymous.post(path).status_code == 200
    assert anonymous.post(path).status_code == 200  # twice is the same as once
    assert not mailing_list(local_authority_id=world.la_a.pk).exists()
    assert AuditEvent.objects.filter(action="partnership.mailing_contact.unsubscribed").count() == 1
    assert Client().post("/mailing-list/unsubscribe/not-a-token/").status_code == 404
    assert "not valid" in Client().get("/mailing-list/unsubscribe/x/").content.decode()


def test_the_list_is_the_borough_leads_own(world, people, django_capture_on_commit_callbacks):
    _add(people, django_capture_on_commit_callbacks)
    listed = api(people.lead).get("/api/v1/partnership/mailing-contacts/").json()
    assert [row["email"] for row in listed["results"]] == [ADDRESS]
    contact_url = listed["results"][0]["url"]
    assert api(people.lead_b).get(contact_url).status_code == 404
    assert api(people.lead_b).get("/api/v1/partnership/mailing-contacts/").json()["count"] == 0
    assert api(people.chair).get("/api/v1/partnership/mailing-contacts/").status_code == 403
    added = api(people.lead).post(
        "/api/v1/partnership/mailing-contacts/", {"email": "qxother@example.org"}, format="json"
    )
    assert added.status_code == 201
    assert added.json()["status"] == "pending"
    removed = api(people.lead).post(added["Location"] + "remove/")
    assert removed.json()["status"] == "unsubscribed"


def test_the_lead_adds_someone_from_the_page(people, client, django_capture_on_commit_callbacks):
    client.force_login(people.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/partnership/mailing-list/new/", {"email": ADDRESS})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    page = client.get("/partnership/mailing-list/").content.decode()
    assert "0 people on the list" in page
    assert "1 waiting to confirm" in page
