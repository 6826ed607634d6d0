"""Nothing is kept for ever by accident (issue 13): the hourly retention purge.

Job results go 7 days after the job, sent outbox rows 30 days after sending; the purge is
idempotent, copes with files already gone, writes one audit event per run with counts and
no personal data, and is on Celery beat. Packs and import previews have their own tests
(tests/channel/test_pack_access.py, tests/training/test_import_retention.py).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from channel.packs import panel_pack_retention
from prevent_cms import registry
from prevent_cms.celery import app as celery_app
from prevent_cms.jobs import job_finish, job_result_retention
from prevent_cms.models import AuditEvent, Job, OutboxMessage
from prevent_cms.purge import PURGED, outbox_sent_retention, retention_purge
from prevent_cms.schedule import periodic_entries
from prevent_cms.tasks import purge_expired
from training.imports.retention import import_preview_retention

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _finished_job(owner, *, age: datetime.timedelta) -> Job:
    job = Job.objects.create(owner=owner, kind="reports.compliance_export")
    job_finish(job, content=b"figures", name="compliance.csv", content_type="text/csv")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - age)
    job.refresh_from_db()
    return job


def _outbox(*, sent_days_ago: int | None) -> OutboxMessage:
    sent = None if sent_days_ago is None else timezone.now() - datetime.timedelta(sent_days_ago)
    return OutboxMessage.objects.create(task="prevent_cms.tasks.relay_outbox", sent_at=sent)


def test_the_purge_deletes_what_is_old_keeps_what_is_new_and_twice_is_idempotent(world):
    lead = world.user("borough_lead", agency=world.council_a)
    old = _finished_job(lead, age=datetime.timedelta(days=7, minutes=1))
    new = _finished_job(lead, age=datetime.timedelta(days=6, hours=23))
    old_name, new_name = old.result.name, new.result.name
    old_sent, new_sent, pending = (
        _outbox(sent_days_ago=31),
        _outbox(sent_days_ago=29),
        _outbox(sent_days_ago=None),
    )
    OutboxMessage.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=90)
    )
    before = AuditEvent.objects.filter(action=PURGED).count()

    counts = retention_purge()
    assert counts["job_results"] == 1
    assert counts["outbox_sent"] == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.purged_at is not None  # marked, not silently vanished
    assert not old.result
    assert new.purged_at is None
    assert new.result
    assert not default_storage.exists(old_name)
    assert default_storage.exists(new_name)
    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert old_sent.pk not in remaining
    assert {new_sent.pk, pending.pk} <= remaining  # a pending row is never purged

    again = retention_purge()
    assert set(again.values()) == {0}
    events = AuditEvent.objects.filter(action=PURGED).order_by("id")
    assert events.count() == before + 2  # one event per run
    first, second = events[before], events[before + 1]
    assert first.detail["counts"] == counts
    assert second.detail["counts"] == again
    assert first.actor_id is None
    assert first.object_id == ""
    assert set(first.detail) == {"counts"}  # counts only: nothing about anyone


def test_a_file_already_gone_is_no_error(world):
    lead = world.user("borough_lead", agency=world.council_a)
    job = _finished_job(lead, age=datetime.timedelta(days=8))
    default_storage.delete(job.result.name)
    assert retention_purge()["job_results"] == 1
    job.refresh_from_db()
    assert job.purged_at is not None


def test_the_purge_task_runs_every_purge(world):
    lead = world.user("borough_lead", agency=world.council_a)
    job = _finished_job(lead, age=datetime.timedelta(days=10))
    counts = purge_expired()
    assert counts["job_results"] == 1
    assert {"job_results", "outbox_sent", "panel_packs", "import_previews"} <= set(counts)
    job.refresh_from_db()
    assert job.purged_at is not None


def test_the_purge_is_on_celery_beat():
    entries = [e for e in periodic_entries() if e.task == purge_expired.name]
    assert len(entries) == 1
    # At least hourly: packs and previews count hours.
    assert entries[0].every.total_seconds() <= 3600
    assert purge_expired.name in celery_app.tasks


def test_every_app_that_keeps_files_registers_a_purge():
    assert {"panel_packs", "import_previews"} <= set(registry.purgers())


def _readme_default(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^\| `{name}` \| `([^`]+)` \|", text, flags=re.MULTILINE)
    assert match, f"README's policy table lacks {name}"
    return match.group(1)


@pytest.mark.parametrize(
    ("name", "period", "expected"),
    [
        ("JOB_RESULT_RETENTION", job_result_retention, datetime.timedelta(days=7)),
        ("PANEL_PACK_RETENTION", panel_pack_retention, datetime.timedelta(hours=72)),
        ("IMPORT_PREVIEW_RETENTION", import_preview_retention, datetime.timedelta(hours=24)),
        ("OUTBOX_SENT_RETENTION", outbox_sent_retention, datetime.timedelta(days=30)),
    ],
)
def test_the_readme_states_each_retention_period_as_the_code_has_it(name, period, expected):
    assert period() == expected
    documented = _readme_default(name)
    number, unit = re.fullmatch(r"timedelta\((days|hours)=(\d+)\)", documented).group(2, 1)
    assert datetime.timedelta(**{unit: int(number)}) == expected
