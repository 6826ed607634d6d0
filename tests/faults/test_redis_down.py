"""Redis down: referrals are still submitted and decided, their tasks wait in the outbox.

Stops the real Redis, works through the real API, starts Redis again with the same options,
runs the relay (``manage.py relay_outbox``) and watches the messages reach Redis and a real
worker.
"""

import time

import kombu.utils.functional
import pytest
import redis.connection
from django.core.management import call_command
from rest_framework.test import APIClient

from prevent_cms.celery import app as celery_app
from prevent_cms.models import OutboxMessage
from referrals.choices import State
from referrals.models import Referral
from tests.faults.conftest import needs_real_services
from tests.referrals import factories as f
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.serial, needs_real_services]

API = "/api/v1/referrals/"


@pytest.fixture
def broker(transactional_db):
    """Send tasks to Redis (not eagerly), as the web process does in production."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = was_eager


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def broker_waits(monkeypatch):
    """What the code under test does to wait on the broker, seen by spies that let every call
    through: each socket connection redis-py tries, and each pause (``time.sleep``) asked
    for. Their sum is what a request waits, measured without reading a clock."""
    seen = {"connects": 0, "sleeps": []}
    connect, sleep = redis.connection.Connection._connect, time.sleep

    def counting_connect(self):
        seen["connects"] += 1
        return connect(self)

    def counting_sleep(seconds):
        seen["sleeps"].append(seconds)
        return sleep(seconds)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counting_connect)
    monkeypatch.setattr(time, "sleep", counting_sleep)
    monkeypatch.setattr(kombu.utils.functional, "sleep", counting_sleep)  # its retry pauses
    return seen


def test_referrals_and_decisions_survive_redis_being_down(
    world, broker, redis_service, celery_worker_factory, capsys, broker_waits
):
    draft = f.draft(world)
    officer = f.officer_for(world)
    in_assessment = f.assessed(world, officer=officer)
    celery_app.control.purge()  # what the set-up sent is not part of this test
    before = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0

    redis_service.stop()
    assert not redis_service.running()

    broker_waits.update(connects=0, sleeps=[])
    submitted = _as(draft.referrer).post(f"{API}{draft.pk}/transitions/submit/", {}, "json")
    assert submitted.status_code == 200, submitted.content
    # Fails fast, no retry loop: per e-mail (three: receipt, new referral, council copy) one
    # try and kombu's one immediate retry, and no pause longer than its 0.1 s interval
    # (kombu's defaults: ~6 s of retries); plus one try of the API's rate-limit cache, which
    # then lets the request through unlimited (prevent_cms.api.throttles) rather than fail it.
    assert broker_waits["connects"] <= 3 * 2 + 1, broker_waits
    assert sum(broker_waits["sleeps"]) <= 3 * 0.1, broker_waits
    decided = _as(officer).post(
        f"{API}{in_assessment.pk}/transitions/refer_to_channel/",
        {"rationale": "Needs multi-agency support."},
        "json",
    )
    assert decided.status_code == 200, decided.content

    # Nothing lost: both changes are committed, and their e-mails wait in the outbox.
    assert Referral.objects.get(pk=draft.pk).state == State.SUBMITTED
    assert Referral.objects.get(pk=in_assessment.pk).state == State.CHANNEL_PANEL
    pending = OutboxMessage.objects.filter(id__gt=before, sent_at__isnull=True)
    assert sorted(tuple(m.args) for m in pending) == sorted(
        [
            (str(draft.pk), "receipt"),
            (str(draft.pk), "new_referral"),
            (str(draft.pk), "council_copy"),
            (str(in_assessment.pk), "reviewed"),
            (str(in_assessment.pk), "entered_channel"),  # the chair is told (issue 17)
        ]
    )
    assert {m.task for m in pending} == {"referrals.tasks.send_referral_email"}
    assert all(m.attempts == 1 and m.last_error for m in pending)
    # The relay fails quietly while Redis is still down: nothing is marked sent.
    call_command("relay_outbox")
    assert pending.count() == 5

    redis_service.start()
    call_command("relay_outbox")
    out = capsys.readouterr().out
    assert "relayed 5, pending 0" in out
    assert OutboxMessage.objects.filter(id__gt=before, sent_at__isnull=True).count() == 0
    assert redis_service.llen("email") == 5  # on the email queue (issue 20), waiting for a worker

    worker = celery_worker_factory()
    wait_until(lambda: redis_service.llen("email") == 0, timeout=30)
    log = worker.wait_for_log("send_referral_email", timeout=30)
    wait_until(lambda: worker.log().count("succeeded") >= 5, timeout=30)
    assert "send_referral_email" in log


def test_a_message_is_sent_right_after_commit_when_redis_is_up(world, broker, redis_service):
    draft = f.draft(world)
    celery_app.control.purge()
    response = _as(draft.referrer).post(f"{API}{draft.pk}/transitions/submit/", {}, "json")
    assert response.status_code == 200
    messages = OutboxMessage.objects.filter(args__0=str(draft.pk))
    # receipt, new_referral and council_copy (issue 15)
    assert messages.count() == 3
    assert all(m.sent_at is not None for m in messages)
    assert redis_service.llen("email") == 3
