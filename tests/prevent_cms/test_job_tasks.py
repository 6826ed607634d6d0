"""Every task that works a Job is declared once, by ``prevent_cms.jobs.job_task``."""

import pytest
from django.db import OperationalError

from channel.tasks import generate_panel_pack
from prevent_cms.tasks import audit_export_for_object, audit_export_for_user
from referrals.tasks import export_referrals
from reports.tasks import compliance_export
from training.tasks import import_check, import_run


@pytest.mark.parametrize(
    "task",
    [
        generate_panel_pack,
        export_referrals,
        audit_export_for_object,
        audit_export_for_user,
        compliance_export,
        import_check,
        import_run,
    ],
)
def test_job_tasks_ack_late_and_retry_only_when_the_database_went_away(task):
    assert task.acks_late is True
    assert task.autoretry_for == (OperationalError,)
    assert task.max_retries == 3
    assert task.retry_backoff is True
    assert task.retry_jitter is True
