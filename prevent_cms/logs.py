"""Logging plumbing: every log line says which request (or task) it belongs to.

The formatter is python-json-logger's (settings.LOGGING); this filter adds ``request_id``,
the id ``RequestIdMiddleware`` gives each request and returns in ``X-Request-ID``, so one
answer a person reports leads to every line it logged. Inside a Celery task it is the task's
id instead. Outside both it is empty.
"""

from __future__ import annotations

import logging

from celery import current_task


def _current_task_id() -> str:
    return (getattr(current_task.request, "id", None) or "") if current_task else ""


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # Imported here: logging is configured before the apps (and audit's models) load.
            from .audit import current_request_id

            record.request_id = current_request_id() or _current_task_id()
        # django.request passes the request itself, whose text holds the query string (a
        # search carries names): the path alone (ids only) goes into the log.
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            record.request = getattr(request, "path", "-")
        return True
