"""Panel packs: the job that builds them and the audit of every download."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction

from accounts.models import User
from prevent_cms.audit import audit_record_many
from prevent_cms.jobs import job_create
from prevent_cms.models import Job

from .. import tasks
from ..models import PanelPack
from .common import lock_panel


@transaction.atomic
def panel_pack_record_download(*, pack: PanelPack, actor: User, via: str) -> None:
    """Audit one download of a pack copy: an event for its panel and one per case in it.

    Reading the pack reads each case in it, so each case's access log must show it; the
    events go in one INSERT. ``via`` says which door it left by (page, api or job).
    """
    audit_record_many(
        actor=actor,
        action="channel.pack.downloaded",
        targets=pack.audit_targets(),
        detail={**pack.audit_detail(), "via": via},
    )


@transaction.atomic
def panel_pack_request(*, panel_id: UUID | str, actor: User) -> Job:
    """Queue the panel pack job (a PDF per member); the chair only."""
    panel = lock_panel(actor=actor, panel_id=panel_id)
    return job_create(
        owner=actor,
        kind="channel.panel_pack",
        params={"panel": str(panel.pk)},
        task=tasks.generate_panel_pack,
    )
