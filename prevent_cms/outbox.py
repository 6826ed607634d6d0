"""A transactional outbox: every Celery task is enqueued through here.

``outbox_enqueue`` writes an ``OutboxMessage`` in the caller's transaction, so the task is
recorded exactly when the change that causes it is committed, and tries to send it right
after commit. When the broker (Redis) is unreachable the row stays pending and nothing is
lost: ``outbox_relay`` (Celery beat every 30 s, or ``manage.py relay_outbox``) sends pending
rows once Redis is back.

Delivery is at least once (a send whose "sent" mark fails to commit is sent again), so tasks
take ids only and must be idempotent, as STYLE.md §7 asks.
"""

from __future__ import annotations

import logging
import uuid

from celery import current_app
from django.db import DatabaseError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# What a publish raises when Redis is down or goes away mid-send.
BROKER_ERRORS = (BrokerError, ConnectionError, TimeoutError, OSError)
# Connect once, no retry loop: with Redis down a publish fails in milliseconds instead of the
# ~6 s kombu's default retries take, so a request never waits on the broker.
_FAIL_FAST = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}


def _broker_connection():
    options = {**(current_app.conf.broker_transport_options or {}), **_FAIL_FAST}
    return current_app.connection_for_write(transport_options=options)


def outbox_enqueue(task, *args) -> OutboxMessage:
    """Record ``task(*args)`` in the current transaction; send it once that commits.

    ``args`` are ids and codes only (JSON): they are stored and sent to the broker.
    """
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(
        task=name, args=[str(a) if isinstance(a, uuid.UUID) else a for a in args]
    )
    message_id = message.pk
    transaction.on_commit(lambda: _send_after_commit(message_id))
    return message


def _send_after_commit(message_id: int) -> None:
    """The commit already happened: a failure here must not turn the request into an error."""
    try:
        outbox_send(message_id)
    except DatabaseError:
        logger.warning("outbox: message %s left pending (database error)", message_id)


def outbox_send(message_id: int) -> bool:
    """Send one pending message; False if it was not sent (broker down, or sent already)."""
    with transaction.atomic(), _broker_connection() as broker:
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:  # sent already, or the relay holds it right now
            return False
        return _publish(message, broker)


def outbox_relay(*, limit: int = 1000) -> int:
    """Send pending messages, oldest first; stop at the first broker error. Returns how many."""
    sent = 0
    while sent < limit:
        with transaction.atomic(), _broker_connection() as broker:
            batch = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True)
                .order_by("id")[: min(100, limit - sent)]
            )
            if not batch:
                break
            for message in batch:
                if not _publish(message, broker):
                    if sent:
                        logger.info("outbox: relayed %s message(s)", sent)
                    return sent
                sent += 1
    if sent:
        logger.info("outbox: relayed %s message(s)", sent)
    return sent


def outbox_pending() -> int:
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


def _publish(message: OutboxMessage, broker) -> bool:
    """Publish under the row lock the caller holds; mark sent, or record the failure."""
    task = current_app.tasks[message.task]
    try:
        # retry=False: fail fast when Redis is down; the relay is the retry.
        task.apply_async(args=message.args, retry=False, connection=broker)
    except BROKER_ERRORS as error:
        logger.warning("outbox: message %s left pending (%s)", message.pk, type(error).__name__)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts + 1, last_error=type(error).__name__[:200]
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    return True
