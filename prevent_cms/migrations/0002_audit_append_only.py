"""Make the audit table append-only in PostgreSQL: UPDATE and DELETE raise an error.

SQLite (the local demo database) has no such guard; the model refuses there instead.
TRUNCATE is left to the database owner: the test runner empties tables with it, and a role
that may TRUNCATE may also drop the trigger, so guarding it would add no protection.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION prevent_cms_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER prevent_cms_auditevent_append_only
    BEFORE UPDATE OR DELETE ON prevent_cms_auditevent
    FOR EACH ROW EXECUTE FUNCTION prevent_cms_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS prevent_cms_auditevent_append_only ON prevent_cms_auditevent;
DROP FUNCTION IF EXISTS prevent_cms_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("prevent_cms", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
