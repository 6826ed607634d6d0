"""The chair asks an agency for its update on a case before a panel (issue 17)."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed, TransitionNotAllowed
from prevent_cms.outbox import outbox_enqueue

from .. import tasks
from ..models import AgencyUpdateRequest
from .common import lock_panel


def _uuid(value) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


@transaction.atomic
def panel_update_request(
    *, panel_id: UUID | str, referral_id: UUID | str, agency_id: UUID | str, actor: User
) -> AgencyUpdateRequest:
    """Ask the members of one agency on a panel for their update on a case on its agenda.

    The panel's chair, before the panel is held. The agency's members on the panel are told
    once (a reference and a link); asking again for the same case and agency returns the
    request already made and tells no one twice.
    """
    panel = lock_panel(actor=actor, panel_id=panel_id)
    if panel.is_held:
        raise TransitionNotAllowed(_("This panel has been held: ask for updates before a panel"))
    errors = {}
    referral, agency = _uuid(referral_id), _uuid(agency_id)
    if referral is None or not panel.agenda.filter(referral_id=referral).exists():
        errors["referral"] = _("Select a case on this panel’s agenda")
    members = panel.members.filter(is_active=True, agency_id=agency).exclude(pk=actor.pk)
    if agency is None or not members.exists():
        errors["agency"] = _("Select an agency with a member on this panel")
    if errors or referral is None or agency is None:
        raise GuardFailed(errors)
    request, made = AgencyUpdateRequest.objects.get_or_create(
        panel=panel, referral_id=referral, agency_id=agency, defaults={"requested_by": actor}
    )
    if made:
        audit_record(
            actor=actor,
            action="channel.agency_update_requested",
            obj=panel,
            detail={"agency": str(agency), "referral": str(referral)},
        )
        outbox_enqueue(tasks.send_agency_update_requested, str(request.pk))
    return request
