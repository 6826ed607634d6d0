"""Every task that sends e-mail is declared once, by ``prevent_cms.jobs.email_task``."""

from smtplib import SMTPServerDisconnected

import pytest

from accounts.tasks import send_access_changed_email
from prevent_cms.jobs import MAIL_ERRORS
from referrals.tasks import send_break_glass_email, send_referral_email
from training.tasks import send_reminder

from .source_tree import files_containing


@pytest.mark.parametrize(
    "task",
    [send_access_changed_email, send_referral_email, send_break_glass_email, send_reminder],
)
def test_email_tasks_ack_late_and_retry_only_when_the_mail_server_fails(task):
    assert task.acks_late is True
    assert task.autoretry_for == MAIL_ERRORS
    assert task.max_retries == 5
    assert task.retry_backoff == 60
    assert task.retry_backoff_max == 3600
    assert task.retry_jitter is True


def test_mail_errors_are_the_servers_not_the_codes():
    assert isinstance(SMTPServerDisconnected(), MAIL_ERRORS)
    assert isinstance(ConnectionRefusedError(), MAIL_ERRORS)
    assert isinstance(TimeoutError(), MAIL_ERRORS)
    assert not isinstance(ValueError(), MAIL_ERRORS)
    assert not isinstance(KeyError(), MAIL_ERRORS)


def test_retry_policies_are_declared_only_beside_job_task():
    """A task with its own ``autoretry_for`` would retry on its own terms."""
    assert files_containing("autoretry_for") == ["prevent_cms/jobs.py"]
