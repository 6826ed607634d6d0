"""The queue's search keeps names out of URLs, and every list page read is audited (issue 13).

The filter form is posted; the search term is kept server-side for the person and the queue
redirects to itself with an opaque ``search`` id. A name in the query string does nothing;
another person's id, or a lapsed one, finds nothing. Each read of the queue or of "My
referrals" is one audit event naming the references shown.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from prevent_cms.models import AuditEvent
from prevent_cms.searches import SESSION_KEY
from tests.referrals import factories as f

NAME = {"first_name": "Morwenna", "last_name": "Trevithick"}
QUEUE = reverse("referrals:queue")


def _last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _search(client, **data):
    response = client.post(QUEUE, data)
    assert response.status_code == 302
    return response["Location"]


def test_a_name_search_is_posted_and_the_url_holds_only_an_opaque_id(world, client):
    officer = f.officer_for(world)
    found = f.direct(f.SubmittedFactory, world, subject=NAME)
    other = f.direct(f.SubmittedFactory, world)
    client.force_login(officer)
    location = _search(client, q="Trevithick", urgent="")
    assert "Trevithick" not in location
    assert "q=" not in location
    assert list(parse_qs(urlparse(location).query)) == ["search"]
    since = _last_event()
    page = client.get(location).content.decode()
    assert found.reference in page
    assert other.reference not in page
    assert 'value="Trevithick"' in page  # the box still shows what was searched for
    event = AuditEvent.objects.get(pk__gt=since)
    assert (event.actor, event.action) == (officer, "referral.searched")
    assert event.detail == {"via": "queue", "references": [found.reference], "count": 1}
    assert "Trevithick" not in str(event.detail)


def test_the_search_keeps_the_filters_in_the_url(world, client):
    officer = f.officer_for(world)
    urgent = f.direct(f.SubmittedFactory, world, subject=NAME, immediate_risk=True)
    f.direct(f.SubmittedFactory, world, subject=NAME)
    client.force_login(officer)
    location = _search(client, q="Trevithick", urgent="on", local_authority=world.la_a.pk)
    params = parse_qs(urlparse(location).query)
    assert params["urgent"] == ["on"]
    assert params["local_authority"] == [str(world.la_a.pk)]
    rows = client.get(location).context["rows"]
    assert [row["reference"] for row in rows] == [urgent.reference]


def test_a_name_in_the_query_string_is_not_searched(world, client):
    officer = f.officer_for(world)
    found = f.direct(f.SubmittedFactory, world, subject=NAME)
    other = f.direct(f.SubmittedFactory, world)
    client.force_login(officer)
    page = client.get(QUEUE, {"q": "Trevithick"}).content.decode()
    assert found.reference in page
    assert other.reference in page
    assert 'value="Trevithick"' not in page


def test_another_person_s_search_id_finds_nothing(world, client):
    first, second = f.officer_for(world), f.officer_for(world)
    f.direct(f.SubmittedFactory, world, subject=NAME)
    other = f.direct(f.SubmittedFactory, world)
    client.force_login(first)
    location = _search(client, q="Trevithick")
    client.force_login(second)
    page = client.get(location).content.decode()
    assert 'value="Trevithick"' not in page
    assert other.reference in page  # unfiltered: the id means nothing to them


def test_a_search_lapses_after_its_lifetime(world, client):
    officer = f.officer_for(world)
    f.direct(f.SubmittedFactory, world, subject=NAME)
    other = f.direct(f.SubmittedFactory, world)
    client.force_login(officer)
    location = _search(client, q="Trevithick")
    assert other.reference not in client.get(location).content.decode()
    session = client.session
    for entry in session[SESSION_KEY].values():
        entry["until"] = 0  # as if its 30 minutes had passed
    session.save()
    page = client.get(location).content.decode()
    assert other.reference in page
    assert 'value="Trevithick"' not in page
    assert "Your search has expired" in page
    assert client.session[SESSION_KEY] == {}  # the lapsed term has left the session


def test_every_queue_read_is_one_audit_event_in_one_insert(world, client):
    officer = f.officer_for(world)
    urgent = f.direct(f.SubmittedFactory, world, immediate_risk=True)
    plain = f.direct(f.SubmittedFactory, world)
    closed = f.direct(f.ClosedByPoliceFactory, world, officer=officer)
    client.force_login(officer)
    since = _last_event()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    event = AuditEvent.objects.get(pk__gt=since)
    assert (event.actor, event.action) == (officer, "referral.list_viewed")
    assert event.detail["references"] == [urgent.reference, plain.reference]
    assert closed.reference not in event.detail["references"]
    inserts = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "prevent')
    ]
    assert len(inserts) == 1


def test_every_read_of_my_referrals_is_audited(world, client):
    referrer = f.referrer_for(world)
    mine = f.direct(f.SubmittedFactory, world, referrer=referrer)
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    client.force_login(lead)
    since = _last_event()
    assert client.get(reverse("referrals:mine")).status_code == 200
    event = AuditEvent.objects.get(pk__gt=since)
    assert (event.actor, event.action) == (lead, "referral.list_viewed")
    assert event.detail == {"via": "my_referrals", "references": [mine.reference], "count": 1}
