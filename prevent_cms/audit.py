"""The audit service: one function every app calls to record what someone did or saw."""

from __future__ import annotations

import threading
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
