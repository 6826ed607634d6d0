"""Concurrent edits: ``ETag`` on a case, ``If-Match`` on its updates and transitions.

A case's ETag is its ``version`` (``"7"``), which every edit and transition raises: read it
from ``GET``, send it back as ``If-Match`` and the write happens only if nobody changed the
case in between; otherwise 412 and nothing changes. The version in the draft PATCH body is
the same number (the body field stays, answering 409 as before). A panel has no version: its
ETag is a digest of what the caller is shown (``digest_etag``), checked just before the write.

``If-Match`` is optional: without it a write is unconditional, as it was. Requiring it (428)
would break every client written against version 1 of the API and the journey the HTML forms
drive (they carry their own ``version`` field); a client that cares sends it. The check is
made by the service under the row's lock, so two writes with the same ETag cannot both win.
"""

from __future__ import annotations

import hashlib
import json
import re

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from prevent_cms.errors import PreconditionFailed

HEADER = "If-Match"
_ETAG = re.compile(r'\s*(W/)?"([^"]*)"\s*')


def digest_etag(data) -> str:
    """An ETag for an object with no version of its own: a digest of what the caller is
    shown (a change to anything shown changes it)."""
    shown = json.dumps(data, sort_keys=True, default=str).encode()
    return '"' + hashlib.sha256(shown).hexdigest()[:32] + '"'


def require_match(request: Request, current_etag: str) -> None:
    """412 unless ``If-Match`` (when sent) names ``current_etag``: for objects without a
    version, checked just before the write."""
    raw = request.headers.get(HEADER)
    if raw is None or raw.strip() == "*":
        return
    tags = {part.strip() for part in raw.split(",")}
    if current_etag not in tags:
        raise PreconditionFailed


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = etag(version)
    return response


def if_match_version(request: Request, current_version: int) -> int | None:
    """The version the write must still find, from ``If-Match``; None when not sent.

    ``*`` matches any version. Weak tags never match (RFC 9110 §13.1.1 compares strongly).
    Answers 412 at once when no listed tag is the current version; the caller passes the
    result to its service, which checks it again under the row lock.
    """
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    if raw.strip() == "*":
        return current_version
    tags = []
    for part in raw.split(","):
        match = _ETAG.fullmatch(part)
        if match is None:
            raise exceptions.ValidationError(
                {HEADER: ['Send the ETag exactly as read, in quotes: If-Match: "7".']},
                code="invalid",
            )
        if not match.group(1):
            tags.append(match.group(2))
    if etag(current_version).strip('"') not in tags:
        raise PreconditionFailed
    return current_version
