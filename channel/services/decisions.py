"""A panel's decision on an agenda item: a lifecycle step, taken where the panel takes it.

Each decision maps onto a transition of DESIGN.md §4 (``DECISION_STEPS``) and runs it through
``referrals.services.referral_transition``, the one place a case changes state: the same
guards and 400 messages naming what is missing, the same history and audit, the same e-mails.
The history row's payload names the panel and agenda item back. Two decisions move nothing
and so run no transition: ``continue_support`` (the case stays in support, or awaiting
consent, reviewed at the next panel) and ``defer`` (the case waits for the next panel, which
is offered it again). Either way the decision, how the panel reached it and any dissent are
kept on the item (``AgendaDecision``) and lock with the minutes on sign-off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed, TransitionNotAllowed
from referrals import lifecycle
from referrals import services as referral_services
from referrals.choices import State
from referrals.models import Referral, ReferralTransition

from ..agenda_rules import DECISION_STEPS, decision_fits_state
from ..choices import PanelDecision, ReachedBy
from ..models import AgendaDecision, AgendaItem
from .common import lock_panel

DISSENT_MAX = 20


def _dissent_errors(dissent: Iterable[Mapping[str, Any]]) -> tuple[list[dict], str]:
    rows: list[dict] = []
    for entry in dissent or []:
        agency = str((entry or {}).get("agency") or "").strip()
        reason = str((entry or {}).get("reason") or "").strip()
        if not agency and not reason:
            continue
        if not agency or not reason:
            return [], _("Name the agency that disagreed and give its reason")
        if len(agency) > 200 or len(reason) > 500:
            return [], _("Keep each dissent short: an agency and a reason of up to 500 characters")
        rows.append({"agency": agency, "reason": reason})
    if len(rows) > DISSENT_MAX:
        return [], _("Record at most %d dissenting agencies") % DISSENT_MAX
    return rows, ""


@transaction.atomic
def agenda_item_decide(
    *,
    panel_id: UUID | str,
    item_id: UUID | str,
    actor: User,
    decision: str,
    reached_by: str,
    rationale: str,
    dissent: Iterable[Mapping[str, Any]] = (),
    signposted_to: str = "",
) -> AgendaDecision:
    """Record the panel's decision on one agenda item and run its lifecycle step.

    Only at a held panel (the meeting took place) whose minutes are not signed off, once per
    item, and only a decision the case's state allows (``TransitionNotAllowed``, 409). What
    is missing — the decision's own fields and the step's guards together — is one
    ``GuardFailed`` (400) naming each field, and nothing is saved.
    """
    panel = lock_panel(actor=actor, panel_id=panel_id)
    item = panel.agenda.filter(pk=item_id).first()
    if item is None:
        raise AgendaItem.DoesNotExist
    if panel.is_locked:
        raise TransitionNotAllowed(
            _("The minutes of this panel are signed off: its decisions are locked")
        )
    if not panel.is_held:
        raise TransitionNotAllowed(
            _("Record who attended and mark the panel held before recording its decisions")
        )
    if AgendaDecision.objects.filter(item=item).exists():
        raise TransitionNotAllowed(_("The panel’s decision on this case is already recorded"))
    if decision not in PanelDecision.values:
        raise GuardFailed({"decision": _("Select the panel’s decision")})
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=item.referral_id)
    if not decision_fits_state(decision, referral.state):
        raise TransitionNotAllowed(
            _("A case in “%(state)s” cannot take the panel decision “%(decision)s”.")
            % {"state": State(referral.state).label, "decision": PanelDecision(decision).label}
        )
    errors: dict[str, str] = {}
    rationale = (rationale or "").strip()
    if not rationale:
        errors["rationale"] = (
            _("Say why the panel deferred the case")
            if decision == PanelDecision.DEFER
            else _("Give the reasons for this decision")
        )
    if reached_by not in ReachedBy.values:
        errors["reached_by"] = _("Say how the panel reached its decision")
    rows, dissent_error = _dissent_errors(dissent)
    if dissent_error:
        errors["dissent"] = dissent_error
    elif rows and reached_by == ReachedBy.CONSENSUS:
        errors["dissent"] = _(
            "A decision by consensus has no dissent: choose majority or decided by the chair"
        )
    name, reason = DECISION_STEPS.get(decision, ("", ""))
    payload: dict[str, Any] = {"rationale": rationale}
    if reason:
        payload["reason"] = reason
    if signposted_to:
        payload["signposted_to"] = signposted_to
    if name:
        for key, message in lifecycle.guard_errors(name, referral, payload).items():
            errors.setdefault(key, message)
    if errors:
        raise GuardFailed(errors)
    transition = None
    if name:
        referral_services.referral_transition(
            referral_id=referral.pk,
            name=name,
            actor=actor,
            payload={
                **payload,
                "panel": str(panel.pk),
                "agenda_item": str(item.pk),
                "panel_decision": decision,
            },
        )
        transition = ReferralTransition.objects.filter(referral=referral).order_by("-id").first()
    outcome = AgendaDecision.objects.create(
        item=item,
        decision=decision,
        reached_by=reached_by,
        dissent=rows,
        rationale=rationale,
        signposted_to=signposted_to if reason else "",
        transition=transition,
        recorded_by=actor,
    )
    if not item.decision:
        item.decision = str(PanelDecision(decision).label)[:200]
        item.rationale = item.rationale or rationale
        item.save(update_fields=["decision", "rationale"])
    audit_record(
        actor=actor,
        action="channel.agenda.decision_recorded",
        obj=referral,
        detail={
            "panel": str(panel.pk),
            "item": str(item.pk),
            "decision": decision,
            "reached_by": reached_by,
            "dissent": len(rows),
        },
    )
    return outcome
