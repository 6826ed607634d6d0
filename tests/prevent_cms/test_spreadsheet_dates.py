"""Issue 19: one way of writing dates in the files people download (docs/frontend.md): ISO
8601, moments in UTC to the second with ``Z``, and each date column's header naming its
pattern."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Role
from prevent_cms.audit import audit_record
from prevent_cms.audit_export import audit_export_request
from prevent_cms.models import AuditEvent
from prevent_cms.spreadsheet import date_header, iso_moment, moment_header


def test_a_moment_is_utc_to_the_second():
    london = datetime.datetime(2026, 7, 3, 14, 5, 9, 123456, tzinfo=ZoneInfo("Europe/London"))
    assert iso_moment(london) == "2026-07-03T13:05:09Z"
    assert iso_moment(None) == ""


def test_headers_name_the_pattern_without_a_comma():
    """A comma would make spreadsheet programs quote the header; brackets do not."""
    assert date_header("received_on") == "received_on (YYYY-MM-DD)"
    assert moment_header("at") == "at (YYYY-MM-DDThh:mm:ssZ)"


@pytest.mark.django_db
def test_the_audit_export_writes_its_moments_that_way(world, django_capture_on_commit_callbacks):
    admin = world.user(Role.SYSTEM_ADMIN, agency=world.council_a)
    audit_record(actor=admin, action="test.viewed", obj=world.la_a)
    event = AuditEvent.objects.get(action="test.viewed")
    with django_capture_on_commit_callbacks(execute=True):
        job = audit_export_request(
            actor=admin, object_type="accounts.localauthority", object_id=str(world.la_a.pk)
        )
    job.refresh_from_db()
    rows = list(csv.DictReader(io.StringIO(job.result.read().decode("utf-8"))))
    (row,) = [r for r in rows if r["action"] == "test.viewed"]
    assert row["at (YYYY-MM-DDThh:mm:ssZ)"] == event.at.astimezone(datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
