"""Celery queues by kind (issue 20): a burst of packs cannot hold up a notification."""

import socket
import urllib.request
import uuid

import pytest
import redis
from django.conf import settings

from accounts.models import Role
from accounts.tasks import send_access_changed_email
from channel.tasks import generate_panel_pack
from prevent_cms.celery import app as celery_app
from prevent_cms.models import Notification
from prevent_cms.queues import QUEUE_NAMES, queue_for
from tests import worker as real_worker
from tests.factories import UserFactory
from tests.worker import wait_until

celery_worker_factory = real_worker.celery_worker_factory
celery_app.loader.import_default_modules()  # every app's tasks, as a worker has them


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def routed(task) -> str:
    """The queue Celery itself picks for ``task`` (its router, as a send would)."""
    options = celery_app.amqp.router.route({}, task.name, task_type=task)
    return options["queue"].name


@pytest.mark.parametrize(
    ("name", "queue"),
    [
        ("accounts.tasks.send_access_changed_email", "email"),
        ("referrals.tasks.send_referral_email", "email"),
        ("channel.tasks.send_panel_invitation", "email"),
        ("channel.tasks.generate_panel_pack", "pdf"),
        ("referrals.tasks.export_referrals", "exports"),
        ("reports.tasks.compliance_export", "exports"),
        ("prevent_cms.tasks.audit_export_for_object", "exports"),
        ("training.tasks.import_run", "exports"),
        ("prevent_cms.tasks.relay_outbox", "default"),
        ("channel.tasks.send_channel_reminders", "default"),
    ],
)
def test_each_kind_of_task_goes_to_its_queue(name, queue):
    assert routed(celery_app.tasks[name]) == queue


def test_every_task_goes_to_one_of_the_four_queues_and_every_mail_task_to_email():
    ours = {name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")}
    assert len(ours) > 15
    for name, task in ours.items():
        assert routed(task) in QUEUE_NAMES, name
        if getattr(task, "queue_kind", None) == "email":
            assert queue_for(name, task) == "email", name
    assert {queue.name for queue in celery_app.conf.task_queues} == set(QUEUE_NAMES)
    assert celery_app.conf.task_default_queue == "default"


@pytest.mark.worker
def test_a_worker_on_the_email_queue_delivers_mail_while_a_burst_of_packs_waits(
    world, celery_worker_factory
):
    actor = world.user(Role.SYSTEM_ADMIN, agency=world.council_a)
    other_admin = UserFactory(agency=world.council_a, roles=[Role.SYSTEM_ADMIN])
    worker = celery_worker_factory(queues=["email"])
    # Ten pack jobs first (their ids name no job: no worker here may touch them), then a mail.
    for _ in range(10):
        generate_panel_pack.delay(str(uuid.uuid4()))
    send_access_changed_email.delay(str(actor.pk), ["user.activated"])

    delivered = wait_until(
        lambda: Notification.objects.filter(recipient=other_admin, emailed_at__isnull=False).first()
    )
    assert delivered.kind == "access_changed"
    broker = redis.Redis.from_url(settings.REDIS_URL)
    try:
        assert broker.llen("pdf") == 10, "the packs wait for a pdf worker"
    finally:
        broker.close()
    log = worker.log()
    assert "send_access_changed_email[" in log
    assert "generate_panel_pack[" not in log, "no pack was received"


@pytest.mark.worker
def test_a_worker_serves_its_task_counts_for_prometheus(world, celery_worker_factory):
    port = free_port()
    celery_worker_factory(queues=["email"], extra_env={"CELERY_METRICS_PORT": str(port)})
    actor = world.user(Role.SYSTEM_ADMIN, agency=world.council_a)
    other_admin = UserFactory(agency=world.council_a, roles=[Role.SYSTEM_ADMIN])
    send_access_changed_email.delay(str(actor.pk), ["user.activated"])
    wait_until(
        lambda: Notification.objects.filter(
            recipient=other_admin, emailed_at__isnull=False
        ).exists()
    )
    sample = (
        'prevent_celery_tasks_total{state="succeeded",'
        'task="accounts.tasks.send_access_changed_email"} 1.0'
    )

    def scraped() -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
            return answer.read().decode()

    assert sample in wait_until(lambda: (text := scraped()) and sample in text and text)
