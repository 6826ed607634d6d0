"""What the partnership services share: who may write, locking a row within scope, and
checking an uploaded document the way a case attachment is checked."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TypeVar
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model, QuerySet
from django.utils import timezone

from accounts.models import LocalAuthority, User
from prevent_cms.uploads import sniff_upload

from .selectors import partnership_area_for

M = TypeVar("M", bound=Model)


def area_of(actor: User) -> LocalAuthority:
    """The actor's local authority, if they keep partnership records (else 403)."""
    return partnership_area_for(actor)


def lock_in_scope(visible: QuerySet[M], pk: UUID | str) -> M:
    """Lock one row of a visibility selector's queryset; a row outside it is its model's
    ``DoesNotExist`` (404). Locked through the primary key, because PostgreSQL refuses
    ``FOR UPDATE`` on the ``DISTINCT`` some selectors need."""
    model = visible.model
    return model._default_manager.select_for_update().get(pk=pk, pk__in=visible.values("pk"))


def checked_document(*, upload: UploadedFile) -> tuple[str, str, int]:
    """The file's type from its content (the attachments' check: size, allowed types), its
    safe original name and size. Raises ``GuardFailed`` on ``file`` when refused."""
    content_type = sniff_upload(upload=upload)
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:150] or "file"
    return content_type, name, upload.size or 0


def today() -> datetime.date:
    return timezone.localdate()


# How long a mailing-list confirmation link works (issue 21: double opt-in).
CONFIRM_VALID_FOR = datetime.timedelta(days=7)


def new_token() -> str:
    """An opaque random token for a link (a mailing-list confirmation or unsubscribe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is kept of a one-time link's token: its hash, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()
