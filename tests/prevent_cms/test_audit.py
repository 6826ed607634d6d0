import pytest
from django.db import DatabaseError, connection, transaction

from prevent_cms.audit import audit_record
from prevent_cms.models import AuditEvent


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
