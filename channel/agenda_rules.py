"""The agenda's rules, read by services, pages and hooks alike: which panel decision maps
onto which lifecycle step (DESIGN.md §4), which decisions a case's state allows, and what an
agenda considers about a case in its state.
"""

from __future__ import annotations

from referrals import lifecycle
from referrals.choices import CHANNEL_STAGES, ClosureReason, State, closure_reasons_for

from .choices import AgendaKind, PanelDecision

# decision -> (transition name, closure reason it closes with, if any)
DECISION_STEPS: dict[str, tuple[str, str]] = {
    PanelDecision.ADOPT: ("adopt", ""),
    PanelDecision.NOT_ADOPTED: ("close", ClosureReason.NOT_ADOPTED),
    PanelDecision.EXIT: ("exit_channel", ""),
    PanelDecision.ESCALATE_TO_POLICE: ("escalate_to_police", ""),
}
# The decisions that run no transition, and the states they make sense in: DESIGN.md §4 has
# no step for them. ``continue_support`` records that the panel keeps the case as it is (in
# support, or still seeking consent); ``defer`` records that it waits for the next panel.
DECISION_STATES_WITHOUT_STEP: dict[str, frozenset[str]] = {
    PanelDecision.CONTINUE_SUPPORT: frozenset({State.AWAITING_CONSENT, State.SUPPORT}),
    PanelDecision.DEFER: CHANNEL_STAGES,
}


def decision_fits_state(decision: str, state: str) -> bool:
    """May a panel take ``decision`` on a case in ``state``? Read from the lifecycle's own
    declaration (the step's sources, a closure's allowed reasons), so the two cannot drift."""
    if decision in DECISION_STATES_WITHOUT_STEP:
        return state in DECISION_STATES_WITHOUT_STEP[decision]
    if decision not in DECISION_STEPS:
        return False
    name, reason = DECISION_STEPS[decision]
    if state not in lifecycle.step(name).sources:
        return False
    return not reason or reason in closure_reasons_for(state)


def decisions_for_state(state: str) -> list[str]:
    """The decisions a panel may take on a case in ``state``, in the order they are shown."""
    return [value for value in PanelDecision.values if decision_fits_state(value, state)]


def default_kind(state: str) -> str:
    """What a panel considers about a case in ``state`` (the agenda item's default kind)."""
    return {
        State.CHANNEL_PANEL: AgendaKind.NEW_CASE,
        State.AWAITING_CONSENT: AgendaKind.REVIEW,
        State.SUPPORT: AgendaKind.REVIEW,
        State.POST_EXIT_REVIEW: AgendaKind.POST_EXIT_REVIEW,
    }.get(state, AgendaKind.NEW_CASE)
