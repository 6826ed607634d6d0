"""Channel's after-transition hooks, run by ``referrals.services.referral_transition``.

Registered under the names the transitions on ``Referral`` list in their ``hooks`` (so
``referrals`` never imports ``channel``); each runs in the transition's own transaction.
"""

from referrals import lifecycle
from referrals.choices import CHANNEL_STAGES, State

from .agenda_rules import default_kind
from .choices import AgendaKind
from .models import AgendaItem
from .permissions import sync_case_grants

# The kinds an agenda gives a case by its state; a consent reassessment or an exit the chair
# chose stays what it is.
STATE_KINDS = frozenset({AgendaKind.NEW_CASE, AgendaKind.REVIEW, AgendaKind.POST_EXIT_REVIEW})


def sync_panel_grants(referral, *, name: str, from_state: str, actor) -> None:
    """A closed case loses every panel grant, in the same transaction as the closing."""
    if referral.state == State.CLOSED:
        sync_case_grants(referral)


def agenda_follows_state(referral, *, name: str, from_state: str, actor) -> None:
    """A case already on the agenda of a panel not yet held is considered there for what it
    is now: once adopted it no longer reads "New case" on the next agenda."""
    if referral.state not in CHANNEL_STAGES:
        return
    AgendaItem.objects.filter(
        referral=referral, panel__held_at__isnull=True, kind__in=STATE_KINDS
    ).exclude(kind=default_kind(referral.state)).update(kind=default_kind(referral.state))


def register() -> None:
    lifecycle.register_hook("sync_panel_grants", sync_panel_grants)
    lifecycle.register_hook("agenda_follows_state", agenda_follows_state)
