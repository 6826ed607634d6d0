"""Celery queues by kind of work, so a burst of one kind cannot hold up another (issue 20).

``email``: notifications, short and urgent (a case referred to Channel tells its chair now).
``pdf``: panel packs, seconds of CPU and a hundred MiB each.
``exports``: exports, imports and other bulk file jobs, long but nobody waits at a desk.
``default``: everything else (beat's periodic sweeps, the outbox relay).

Each worker host consumes the queues it is started with (``celery worker -Q email``;
docker-compose.yml runs one service per kind); a worker started without ``-Q`` consumes
all four, as ``make run`` and the tests' workers do. The kind is declared where the task is:
``prevent_cms.jobs.email_task`` and ``job_task`` mark theirs, ``QUEUE_OF_TASK`` names the
exceptions, and every other task goes to ``default``.
"""

from __future__ import annotations

from kombu import Queue

EMAIL = "email"
PDF = "pdf"
EXPORTS = "exports"
DEFAULT = "default"
QUEUE_NAMES = (EMAIL, PDF, EXPORTS, DEFAULT)

# Declared for the workers: one without -Q consumes every one of these.
TASK_QUEUES = tuple(Queue(name, routing_key=name) for name in QUEUE_NAMES)

# Tasks whose kind is not the one their decorator gives (a job task defaults to exports).
QUEUE_OF_TASK = {
    "channel.tasks.generate_panel_pack": PDF,
}


def queue_for(name: str, task=None) -> str:
    """The queue a task named ``name`` (its class ``task`` when known) is sent to."""
    if name in QUEUE_OF_TASK:
        return QUEUE_OF_TASK[name]
    kind = getattr(task, "queue_kind", None)
    return kind if kind in QUEUE_NAMES else DEFAULT


def route_task(name, args, kwargs, options, task=None, **kw) -> dict:
    """Celery's ``task_routes`` entry (CELERY_TASK_ROUTES): every task by its kind."""
    return {"queue": queue_for(name, task)}
