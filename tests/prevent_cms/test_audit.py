from collections import Counter

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from prevent_cms.audit import audit_record, audit_record_many, set_request_id
from prevent_cms.models import AuditEvent, AuditTally


def test_audit_record_names_object_by_type_and_id(world):
    user = world.user("referrer")
    event = audit_record(actor=user, action="test.viewed", obj=world.la_a, detail={"n": 1})
    event.refresh_from_db()
    assert (event.actor_id, event.object_type, event.object_id) == (
        user.pk,
        "accounts.localauthority",
        str(world.la_a.pk),
    )


def test_audit_rolls_back_with_the_change_it_records(world):
    user = world.user("referrer")

    def change_that_fails():
        with transaction.atomic():
            audit_record(actor=user, action="test.change", obj=world.la_a)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not AuditEvent.objects.filter(action="test.change").exists()


def test_audit_record_many_writes_one_event_per_target_in_one_insert(world):
    user = world.user("referrer")
    set_request_id("req-1")
    try:
        with CaptureQueriesContext(connection) as queries:
            events = audit_record_many(
                actor=user,
                action="test.many",
                targets=[world.la_a, ("referrals.referral", "r-1"), ("referrals.referral", "r-2")],
                detail={"panel": "p-1"},
            )
    finally:
        set_request_id("")
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    events_inserts = [q for q in inserts if "prevent_cms_auditevent" in q["sql"]]
    assert len(events_inserts) == 1
    assert len(inserts) == 2, "and one upsert of the cases' tally, for both cases at once"
    rows = AuditEvent.objects.filter(action="test.many").order_by("id")
    assert [(e.object_type, e.object_id) for e in rows] == [
        ("accounts.localauthority", str(world.la_a.pk)),
        ("referrals.referral", "r-1"),
        ("referrals.referral", "r-2"),
    ]
    assert {(e.actor_id, e.request_id, str(e.detail)) for e in rows} == {
        (user.pk, "req-1", "{'panel': 'p-1'}")
    }
    assert all(e.at is not None for e in rows)
    assert len(events) == 3


def test_the_tally_of_a_cases_trail_always_equals_the_trail(world):
    """``AuditTally`` is what the case page's "who has seen this case" reads (issue 25)."""
    reader, other = world.user("prevent_officer"), world.user("channel_chair")
    case, elsewhere = ("referrals.referral", "case-1"), ("referrals.referral", "case-2")
    audit_record(actor=reader, action="referral.viewed", object_type=case[0], object_id=case[1])
    audit_record_many(actor=reader, action="referral.viewed", targets=[case, case, elsewhere])
    audit_record_many(actor=other, action="channel.pack.downloaded", targets=[case])
    audit_record(
        actor=None, action="referral.reminder_sent", object_type=case[0], object_id=case[1]
    )
    audit_record(actor=reader, action="test.viewed", obj=world.la_a)  # not a case: no tally
    trail = Counter(
        (e.object_type, e.object_id, str(e.actor_id) if e.actor_id else "")
        for e in AuditEvent.objects.all()
    )
    tally = {(t.object_type, t.object_id, t.actor_key): t.events for t in AuditTally.objects.all()}
    assert tally == {key: n for key, n in trail.items() if key[0] == "referrals.referral"}
    assert tally[(*case, str(reader.pk))] == 3
    assert tally[(*case, "")] == 1
    last = AuditEvent.objects.filter(object_id="case-1", actor=reader).latest("at").at
    assert AuditTally.objects.get(object_id="case-1", actor_key=str(reader.pk)).last_at == last


def test_audit_record_many_rolls_back_with_the_change(world):
    def change_that_fails():
        with transaction.atomic():
            audit_record_many(actor=None, action="test.many_undone", targets=[world.la_a])
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not AuditEvent.objects.filter(action="test.many_undone").exists()


def test_model_refuses_update_and_delete(world):
    event = audit_record(actor=None, action="test.event")
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE prevent_cms_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM prevent_cms_auditevent WHERE id = %s",
    ],
)
def test_postgres_refuses_update_and_delete_of_audit_rows(world, sql):
    event = audit_record(actor=None, action="test.event")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="test.event").exists()
