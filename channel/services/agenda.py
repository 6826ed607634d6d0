"""A panel's agenda: which cases it considers (and so who may see them), and what it decided."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import Conflict, GuardFailed, TransitionNotAllowed
from referrals.choices import CHANNEL_STAGES, State
from referrals.permissions import is_chair_for
from referrals.selectors import referrals_visible_to

from ..agenda_rules import default_kind
from ..choices import AgendaKind
from ..models import AgendaItem
from ..permissions import sync_case_grants
from ..selectors import channel_cases_visible_to
from .common import lock_panel, today


@transaction.atomic
def panel_add_case(
    *, panel_id: UUID | str, actor: User, referral_id: UUID | str, kind: str = ""
) -> AgendaItem:
    """Put a case on the agenda and grant every member access to it (guardian).

    A case is on at most one agenda of a panel not yet held (``Conflict``, 409, naming the
    panel): two open agendas would each decide it. The case's row is locked first, so two
    chairs adding it to two panels at once are taken one after the other.
    """
    panel = lock_panel(actor=actor, panel_id=panel_id)
    if panel.is_held:
        raise TransitionNotAllowed(_("This panel has been held: its agenda cannot change"))
    referral = (
        referrals_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=referral_id, local_authority_id=panel.local_authority_id)
        .first()
    )
    if referral is None or not is_chair_for(actor, referral) or not referral.channel_entered_at:
        raise GuardFailed({"referral": _("Select a Channel case of your local authority")})
    if referral.state == State.CLOSED:
        raise GuardFailed(
            {"referral": _("This case is closed: reopen it before adding it to an agenda")}
        )
    if referral.state not in CHANNEL_STAGES:
        raise GuardFailed({"referral": _("Only a case in Channel can go on a panel agenda")})
    if panel.agenda.filter(referral=referral).exists():
        raise GuardFailed({"referral": _("This case is already on the agenda")})
    elsewhere = (
        AgendaItem.objects.filter(referral=referral, panel__held_at__isnull=True)
        .select_related("panel")
        .first()
    )
    if elsewhere is not None:
        raise Conflict(
            _(
                "This case is already on the agenda of the panel on %(date)s, which has not "
                "been held yet: take it off that agenda first"
            )
            % {"date": f"{elsewhere.panel.date:%-d %B %Y}"},
            code="on_another_agenda",
        )
    kind = kind or default_kind(referral.state)
    if kind not in AgendaKind.values:
        raise GuardFailed({"kind": _("Select what the panel is to consider")})
    item = AgendaItem.objects.create(
        panel=panel, referral=referral, kind=kind, order=panel.agenda.count() + 1
    )
    sync_case_grants(referral)
    audit_record(
        actor=actor,
        action="channel.agenda.case_added",
        obj=referral,
        detail={"panel": str(panel.pk), "kind": kind},
    )
    return item


@transaction.atomic
def panel_add_reassessment(
    *, panel_id: UUID | str, actor: User, referral_id: UUID | str
) -> AgendaItem:
    """Put a case whose consent reassessment is due on the agenda.

    The case was closed on declined or withdrawn consent: it reopens (back to awaiting
    panel, through the lifecycle) and joins the agenda as a consent reassessment, in one
    transaction, so a refusal leaves it closed and off the agenda.
    """
    from referrals import services as referral_services

    panel = lock_panel(actor=actor, panel_id=panel_id)
    if panel.is_held:
        raise TransitionNotAllowed(_("This panel has been held: its agenda cannot change"))
    referral = (
        channel_cases_visible_to(actor)
        .filter(pk=referral_id, local_authority_id=panel.local_authority_id)
        .first()
    )
    if referral is None:
        raise GuardFailed({"referral": _("Select a Channel case of your local authority")})
    if referral.state != State.CLOSED or not referral.reassess_on:
        raise GuardFailed({"referral": _("This case has no consent reassessment due")})
    if referral.reassess_on > today():
        raise GuardFailed(
            {
                "referral": _("The consent reassessment for this case is not due until %s")
                % f"{referral.reassess_on:%d %B %Y}"
            }
        )
    referral_services.referral_transition(
        referral_id=referral.pk,
        name="reopen",
        actor=actor,
        payload={
            "rationale": _("Consent reassessment due: added to the panel on %s")
            % f"{panel.date:%d %B %Y}"
        },
    )
    return panel_add_case(
        panel_id=panel.pk,
        actor=actor,
        referral_id=referral.pk,
        kind=AgendaKind.CONSENT_REASSESSMENT,
    )


@transaction.atomic
def panel_remove_case(*, panel_id: UUID | str, actor: User, referral_id: UUID | str) -> None:
    """Take a case off an agenda; members lose access unless another agenda holds it."""
    panel = lock_panel(actor=actor, panel_id=panel_id)
    if panel.is_held:
        raise TransitionNotAllowed(_("This panel has been held: its agenda cannot change"))
    item = panel.agenda.select_related("referral").filter(referral_id=referral_id).first()
    if item is None:
        raise AgendaItem.DoesNotExist
    referral = item.referral
    item.delete()
    sync_case_grants(referral)
    audit_record(
        actor=actor,
        action="channel.agenda.case_removed",
        obj=referral,
        detail={"panel": str(panel.pk)},
    )


@transaction.atomic
def agenda_item_record(
    *, item_id: UUID | str, actor: User, discussion: str, decision: str = "", rationale: str = ""
) -> AgendaItem:
    item = AgendaItem.objects.select_related("panel", "referral").filter(pk=item_id).first()
    if item is None:
        raise AgendaItem.DoesNotExist
    panel = lock_panel(actor=actor, panel_id=item.panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off and locked"))
    if not (discussion or "").strip():
        raise GuardFailed({"discussion": _("Record what the panel discussed")})
    item.discussion, item.decision, item.rationale = discussion, decision, rationale
    item.save()
    audit_record(actor=actor, action="channel.agenda.discussion_recorded", obj=item.referral)
    return item
