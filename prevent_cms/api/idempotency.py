"""Safe retries: ``Idempotency-Key`` on every POST that creates a record or starts a job.

A client that sends ``Idempotency-Key: <up to 255 characters>`` with a POST and retries it
(a timeout, a dropped connection) gets the first answer again — same status, same body,
``Location`` too, and ``Idempotent-Replayed: true`` — and nothing is made twice. The same
key with another body answers 422; a retry while the first request is still running answers
409. Keys are per person, method and path, kept ``IDEMPOTENCY_KEY_RETENTION`` (24 hours;
the hourly purge, ``prevent_cms.purge``). Only successful answers are kept: after a 4xx the
client may correct the body and send it again under the same key.

Why not a library: django-idempotency-key (1.3.0, May 2023, no release for Django 5) is a
middleware that runs before DRF authenticates a token, so it cannot keep keys per person;
nothing else maintained does this for DRF.

Views opt in with ``IdempotentPost`` (first in their bases); ``tests/prevent_cms/
test_idempotency.py`` checks that every API POST that creates or starts something does.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..errors import IdempotencyConflict, IdempotencyKeyInProgress
from ..models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# A first request that has been "in progress" this long died with its process: a retry
# takes its key over rather than waiting for the purge.
ABANDONED_AFTER = datetime.timedelta(minutes=2)


def idempotency_key_retention() -> datetime.timedelta:
    return getattr(settings, "IDEMPOTENCY_KEY_RETENTION", datetime.timedelta(hours=24))


class _Replay(Exception):  # control flow, never an error answer
    def __init__(self, row: IdempotencyKey):
        self.row = row


def body_digest(request) -> str:
    """SHA-256 of what was sent: the raw body, or for a multipart upload (whose boundary
    changes on every send) its fields and each file's content, in a fixed order."""
    digest = hashlib.sha256()
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    digest.update(media_type.encode() + b"\n")
    if media_type != "multipart/form-data":
        digest.update(request._request.body)
        return digest.hexdigest()
    data = request.data
    for name in sorted(data.keys()):
        for value in data.getlist(name):
            digest.update(name.encode() + b"=")
            if isinstance(value, UploadedFile):
                for chunk in value.chunks():
                    digest.update(chunk)
                value.seek(0)
            else:
                digest.update(str(value).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def _key_from(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
        raise exceptions.ValidationError(
            {HEADER: [f"Give a key of 1 to {MAX_KEY_LENGTH} printable characters."]},
            code="invalid",
        )
    return key


def _claim(*, user, key: str, method: str, path: str, body_hash: str) -> IdempotencyKey:
    """The row this request now owns; raises ``_Replay`` with the first answer's row, or
    422/409 when the key cannot serve this request."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user, key=key, method=method, path=path, body_hash=body_hash
            )
    except IntegrityError:
        pass
    row = IdempotencyKey.objects.get(user=user, key=key, method=method, path=path)
    if row.body_hash != body_hash:
        raise IdempotencyConflict
    if row.status is not None:
        raise _Replay(row)
    now = timezone.now()
    taken_over = IdempotencyKey.objects.filter(
        pk=row.pk, status__isnull=True, created_at__lt=now - ABANDONED_AFTER
    ).update(created_at=now)
    if not taken_over:
        raise IdempotencyKeyInProgress
    row.created_at = now
    return row


# Mix into an API view (first in its bases) whose POST creates a record or starts a job.
# The key is read after authentication, permission and rate checks (so a refused request
# claims nothing) and before the handler runs. (A comment, not a docstring: drf-spectacular
# would publish a mixin's docstring as the description of the view's operations.)
class IdempotentPost(APIView):
    _idempotency_row: IdempotencyKey | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method != "POST":
            return
        key = _key_from(request)
        if key is None:
            return
        try:
            self._idempotency_row = _claim(
                user=request.user,
                key=key,
                method=request.method,
                path=request.path,
                body_hash=body_digest(request),
            )
        except _Replay as replay:
            # The first answer stands in for the handler: the view's own ``post`` never runs.
            answer = _replayed(replay.row)
            self.post = lambda request, *args, **kwargs: answer

    def finalize_response(self, request, response, *args, **kwargs):
        row, self._idempotency_row = self._idempotency_row, None
        if row is not None:
            if status.is_success(response.status_code) and hasattr(response, "data"):
                row.status = response.status_code
                row.response_body = response.data
                row.location = response.get("Location", "")
                row.save(update_fields=["status", "response_body", "location"])
            else:
                # Nothing was made: the client may correct the request and send it again.
                row.delete()
        return super().finalize_response(request, response, *args, **kwargs)


def _replayed(row: IdempotencyKey) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    if row.location:
        headers["Location"] = row.location
    return Response(row.response_body, status=row.status, headers=headers)


def idempotency_keys_purge_expired(*, now: datetime.datetime) -> int:
    """Delete keys older than ``IDEMPOTENCY_KEY_RETENTION``; how many (the hourly purge)."""
    deleted, _by_model = IdempotencyKey.objects.filter(
        created_at__lte=now - idempotency_key_retention()
    ).delete()
    return deleted
