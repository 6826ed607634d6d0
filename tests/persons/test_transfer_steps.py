"""The transfer steps in a case's available transitions (issue 18): listed for a role exactly
when ``persons.services`` lets that role take them, never otherwise."""

import pytest
from django.db import transaction

from persons import services
from prevent_cms.errors import DomainError
from referrals import services as referral_services
from referrals.models import Referral
from tests.referrals import factories as f

STEPS = ("transfer", "accept_transfer", "decline_transfer")


class _Undo(Exception):
    pass


def _takes(step, referral, actor, world) -> bool:
    """Whether the service lets ``actor`` take ``step`` now (undone either way)."""
    run = {
        "transfer": lambda: services.referral_transfer(
            referral_id=referral.pk,
            actor=actor,
            to_local_authority_id=world.la_c.pk,
            reason="Moved to Westford.",
        ),
        "accept_transfer": lambda: services.referral_accept_transfer(
            referral_id=referral.pk, actor=actor
        ),
        "decline_transfer": lambda: services.referral_decline_transfer(
            referral_id=referral.pk, actor=actor, reason="Not at that address."
        ),
    }[step]
    try:
        with transaction.atomic():
            run()
            raise _Undo
    except _Undo:
        return True
    except (DomainError, Referral.DoesNotExist):  # refused: 403, 404, 409
        return False


def _listed(referral, actor) -> list[str]:
    available = referral_services.available_transitions(referral=referral, actor=actor)
    return [name for name in available if name in STEPS]


def _check(world, referral, actor, expected: list[str]) -> None:
    referral.refresh_from_db()
    assert _listed(referral, actor) == expected
    assert [step for step in STEPS if _takes(step, referral, actor, world)] == expected


def _request(world, referral, actor, to):
    services.referral_transfer(
        referral_id=referral.pk, actor=actor, to_local_authority_id=to.pk, reason="Moved."
    )


def test_the_case_officer_may_transfer_an_open_case(world):
    officer = f.officer_for(world)
    _check(world, f.assessed(world, officer=officer), officer, ["transfer"])


def test_the_referrer_takes_no_transfer_step(world):
    referral = f.assessed(world)
    _check(world, referral, referral.referrer, [])
    _request(world, referral, f.officer_for(world), world.la_c)
    _check(world, referral, referral.referrer, [])


def test_a_chair_transfers_channel_cases_only(world):
    chair = f.chair_for(world)
    _check(world, f.assessed(world), chair, [])
    _check(world, f.channel_panel(world), chair, ["transfer"])


def test_nothing_for_a_draft_or_a_closed_case(world):
    officer = f.officer_for(world)
    _check(world, f.draft(world), officer, [])
    _check(world, f.closed_by_police(world, officer=officer), officer, [])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("sender", ["decline_transfer"]),  # withdraw; a second request is 409
        ("receiving_officer", ["accept_transfer", "decline_transfer"]),
        ("receiving_chair", []),  # not a Channel case: the force's officer decides
        ("sending_chair", []),
    ],
)
def test_a_pending_transfer_to_another_force(world, who, expected):
    sender = f.officer_for(world)
    referral = f.assessed(world, officer=sender)
    _request(world, referral, sender, world.la_c)
    actor = {
        "sender": sender,
        "receiving_officer": f.officer_for(world, agency=world.police_c),
        "receiving_chair": f.chair_for(world, agency=world.council_c),
        "sending_chair": f.chair_for(world),
    }[who]
    _check(world, referral, actor, expected)


def test_a_pending_transfer_within_the_force_the_officers_may_accept(world):
    sender = f.officer_for(world)
    referral = f.assessed(world, officer=sender)
    _request(world, referral, sender, world.la_b)
    # Every officer of the force sees the case, may withdraw it, and receives it.
    colleague = f.officer_for(world, agency=f.AgencyFactory(local_authority=world.la_b))
    _check(world, referral, colleague, ["accept_transfer", "decline_transfer"])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("sending_chair", ["decline_transfer"]),
        ("receiving_chair", ["accept_transfer", "decline_transfer"]),
        ("officer", ["decline_transfer"]),  # a Channel case: the receiving chair decides
        ("other_chair", []),
    ],
)
def test_a_pending_transfer_of_a_channel_case(world, who, expected):
    referral = f.channel_panel(world)
    chair = f.chair_for(world)
    _request(world, referral, chair, world.la_b)
    actor = {
        "sending_chair": chair,
        "receiving_chair": f.chair_for(world, agency=world.council_b),
        "officer": f.officer_for(world),
        "other_chair": f.chair_for(world, agency=world.council_c),
    }[who]
    _check(world, referral, actor, expected)
