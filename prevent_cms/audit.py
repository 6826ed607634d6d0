"""The audit service: one function every app calls to record what someone did or saw."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditEvent

_local = threading.local()


def set_request_id(request_id: str) -> None:
    _local.request_id = request_id


def current_request_id() -> str:
    return getattr(_local, "request_id", "")


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Write one audit event in the caller's transaction.

    Call it inside the same ``transaction.atomic`` block as the change it records, so the
    event and the change commit or roll back together. ``detail`` holds codes and ids only.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        request_id=current_request_id(),
        reason=reason[:500],
        detail=detail or {},
    )


def audit_record_many(
    *,
    actor: Any,
    action: str,
    targets: Iterable[models.Model | tuple[str, str]],
    reason: str = "",
    detail: dict | None = None,
) -> list[AuditEvent]:
    """Write one event per target in a single INSERT, in the caller's transaction.

    For one act that touches many objects at once — a panel pack holds several cases, and
    each case's access log must show it. A target is a model instance or an
    ``(object_type, object_id)`` pair (when only ids are at hand). ``detail`` holds codes and
    ids only and is the same for every event.
    """
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    request_id = current_request_id()
    events = []
    for target in targets:
        if isinstance(target, models.Model):
            object_type, object_id = target._meta.label_lower, str(target.pk)
        else:
            object_type, object_id = target
        events.append(
            AuditEvent(
                actor_id=actor_id,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                request_id=request_id,
                reason=reason[:500],
                detail=dict(detail or {}),
            )
        )
    return AuditEvent.objects.bulk_create(events)
