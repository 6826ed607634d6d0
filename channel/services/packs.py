"""Panel packs: the job that builds them and the audit of every download."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partnership.models import DisclosureKind
from partnership.services.agreements import disclosure_record
from prevent_cms.audit import audit_record, audit_record_many
from prevent_cms.errors import Gone, GuardFailed, TransitionNotAllowed
from prevent_cms.jobs import job_create
from prevent_cms.models import Job

from .. import tasks
from ..choices import PackAttestation
from ..models import Panel, PanelPack
from ..packs import pack_gone_message, pack_link_spent_message
from ..selectors import panel_pack_readable_by, panel_packs_visible_to, panels_visible_to
from .common import lock_panel


@transaction.atomic
def panel_pack_record_download(*, pack: PanelPack, actor: User, via: str) -> None:
    """Audit one download of a pack copy: an event for its panel and one per case in it.

    Reading the pack reads each case in it, so each case's access log must show it; the
    events go in one INSERT. ``via`` says which door it left by (page, api or job). A copy
    leaving for another agency is a disclosure: recorded once in the partnership ledger
    against the agreement that allows it, or refused (403) where none does (issue 21).
    """
    disclosure_record(
        actor=actor,
        kind=DisclosureKind.PANEL_PACK,
        local_authority_id=pack.panel.local_authority_id,
        source_id=pack.pk,
        case_count=len(pack.referral_ids or []),
        recipient=actor,
    )
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


@transaction.atomic
def panel_pack_use_link(*, pack_id: UUID | str, actor: User, via: str = "link") -> PanelPack:
    """Spend the recipient's single-use download of a pack copy; answer the copy.

    Every door a pack leaves by comes here (``via``: the e-mailed ``link``, the panel
    ``page``, the ``api``, the pack ``job``'s result), so that no more copies leave than were
    made, one per recipient (issue 16): a copy works once and until
    ``PANEL_PACK_LINK_VALID_FOR`` after the panel, whichever door spent it. The row is
    locked: two clicks at once give one download and one 410. A copy that is not the
    actor's is ``PanelPack.DoesNotExist`` (404); a used, expired, withdrawn or purged one is
    ``Gone`` (410) saying why and how to get a new one. The download is audited against
    each case in it.
    """
    pack = (
        panel_packs_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("panel")
        .filter(pk=pack_id)
        .first()
    )
    if pack is None:
        raise PanelPack.DoesNotExist
    # Withdrawn or purged first: it says the lasting reason, which a new link would not mend.
    if not panel_pack_readable_by(actor, pack):
        raise Gone(pack_gone_message(pack))
    spent = pack_link_spent_message(pack)
    if spent:
        raise Gone(spent)
    pack.link_used_at = timezone.now()
    pack.save(update_fields=["link_used_at"])
    panel_pack_record_download(pack=pack, actor=actor, via=via)
    return pack


@transaction.atomic
def panel_pack_attest(
    *, panel_id: UUID | str, actor: User, attestation: str, reason: str = ""
) -> int:
    """The recipient says what became of their copies of the panel's pack: destroyed, or
    retained under policy with the reason. Once the panel has met; may be said again (the
    latest stands). Answers how many copies it covers; none is ``PanelPack.DoesNotExist``."""
    panel = panels_visible_to(actor).select_for_update(of=("self",)).filter(pk=panel_id).first()
    if panel is None:
        raise Panel.DoesNotExist
    copies = PanelPack.objects.filter(panel=panel, recipient=actor)
    if not copies.exists():
        raise PanelPack.DoesNotExist
    if panel.date > timezone.localdate():
        raise TransitionNotAllowed(_("You can say what became of your copy once the panel has met"))
    reason = (reason or "").strip()
    errors = {}
    if attestation not in PackAttestation.values:
        errors["attestation"] = _("Say whether you destroyed your copy or kept it under policy")
    elif attestation == PackAttestation.RETAINED and not reason:
        errors["reason"] = _("Say which policy requires you to keep your copy, and why")
    elif len(reason) > 2000:
        errors["reason"] = _("The reason must be 2000 characters or fewer")
    if errors:
        raise GuardFailed(errors)
    count = copies.update(
        attestation=attestation,
        attestation_reason=reason if attestation == PackAttestation.RETAINED else "",
        attested_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="channel.pack.attested",
        obj=panel,
        detail={"attestation": attestation, "copies": count},
    )
    return count
