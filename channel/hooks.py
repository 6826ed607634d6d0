"""Channel's after-transition hooks, run by ``referrals.services.referral_transition``.

Registered under the names the transitions on ``Referral`` list in their ``hooks`` (so
``referrals`` never imports ``channel``); each runs in the transition's own transaction.
"""

from referrals import lifecycle
from referrals.choices import State

from .permissions import sync_case_grants


def sync_panel_grants(referral, *, name: str, from_state: str, actor) -> None:
    """A closed case loses every panel grant, in the same transaction as the closing."""
    if referral.state == State.CLOSED:
        sync_case_grants(referral)


def register() -> None:
    lifecycle.register_hook("sync_panel_grants", sync_panel_grants)
