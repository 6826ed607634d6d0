"""Transfers between areas (issue 18): requested by the case's officer (or its chair for a
Channel case), accepted by the receiving force's officer (or authority's chair), declined with
a reason; at most one pending; scope follows the case at acceptance; both teams told."""

import pytest
from django.core import mail

from persons import services
from persons.models import AreaTransfer, TransferStatus
from prevent_cms.errors import ActionForbidden, Conflict, GuardFailed, TransitionNotAllowed
from prevent_cms.models import AuditEvent, Notification
from prevent_cms.notifications import Kind
from referrals import services as referral_services
from referrals.choices import State
from referrals.models import Referral
from referrals.selectors import referral_queue, referrals_visible_to
from tests.referrals import factories as f
from tests.referrals.test_concurrency import race


def _to_force_c(world, referral, actor, **extra):
    return services.referral_transfer(
        referral_id=referral.pk,
        actor=actor,
        to_local_authority_id=world.la_c.pk,
        to_police_force_id=world.other_force.pk,
        reason="The family moved to Westford.",
        **extra,
    )


def test_accepted_the_case_moves_at_the_same_stage_and_scope_follows(
    world, django_capture_on_commit_callbacks
):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    receiving = f.officer_for(world, agency=world.police_c)
    assert not referrals_visible_to(receiving).filter(pk=referral.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        transfer = _to_force_c(world, referral, officer)
    assert transfer.status == TransferStatus.PENDING
    # Pending: nothing moved yet.
    assert Referral.objects.get(pk=referral.pk).police_force_id == world.force.pk
    told = set(
        Notification.objects.filter(kind=Kind.CASE_TRANSFER).values_list("recipient", flat=True)
    )
    assert {officer.pk, receiving.pk} <= told
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.referral_accept_transfer(referral_id=referral.pk, actor=receiving)
    moved.refresh_from_db()
    assert (moved.state, moved.local_authority_id, moved.police_force_id) == (
        State.POLICE_ASSESSMENT,
        world.la_c.pk,
        world.other_force.pk,
    )
    assert moved.subject.local_authority_id == world.la_c.pk
    assert moved.assigned_officer_id is None
    assert moved.history.count() == referral.history.count()  # its history comes with it
    # Access follows the move: the receiving officer reads it, the sending one no longer.
    assert referrals_visible_to(receiving).filter(pk=referral.pk).exists()
    assert referral_queue(receiving).filter(pk=referral.pk).exists()
    assert not referrals_visible_to(officer).filter(pk=referral.pk).exists()
    actions = set(
        AuditEvent.objects.filter(object_id=str(referral.pk)).values_list("action", flat=True)
    )
    assert {"referral.transfer_requested", "referral.transfer_accepted"} <= actions
    assert Notification.objects.filter(
        kind=Kind.CASE_TRANSFER, recipient=officer, subject__startswith="Case transfer accepted"
    ).exists()
    assert all(referral.subject.last_name not in m.body for m in mail.outbox)
    # The sending officer can no longer act on it: the case is outside their scope.
    with pytest.raises(Referral.DoesNotExist):
        referral_services.referral_transition(
            referral_id=referral.pk,
            name="close",
            actor=officer,
            payload={"reason": "no_further_action", "rationale": "x"},
        )


def test_declined_the_case_stays_and_a_second_request_is_a_conflict(world):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    _to_force_c(world, referral, officer)
    with pytest.raises(Conflict):
        _to_force_c(world, referral, officer)
    receiving = f.officer_for(world, agency=world.police_c)
    with pytest.raises(GuardFailed):
        services.referral_decline_transfer(referral_id=referral.pk, actor=receiving, reason="")
    services.referral_decline_transfer(
        referral_id=referral.pk, actor=receiving, reason="Not known at that address."
    )
    referral.refresh_from_db()
    assert referral.police_force_id == world.force.pk
    transfer = AreaTransfer.objects.get(referral=referral)
    assert (transfer.status, transfer.decline_reason) == (
        TransferStatus.DECLINED,
        "Not known at that address.",
    )
    with pytest.raises(Conflict):  # nothing waits any more
        services.referral_accept_transfer(referral_id=referral.pk, actor=officer)
    _to_force_c(world, referral, officer)  # a new request may follow


def test_who_may_request_and_decide(world):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    chair = f.chair_for(world)
    with pytest.raises(Referral.DoesNotExist):  # not a Channel case: the chair cannot see it
        _to_force_c(world, referral, chair)
    with pytest.raises(ActionForbidden):
        _to_force_c(world, referral, referral.referrer)
    with pytest.raises(GuardFailed) as error:
        services.referral_transfer(
            referral_id=referral.pk,
            actor=officer,
            to_local_authority_id=world.la_c.pk,
            to_police_force_id=world.force.pk,
            reason="Moved.",
        )
    assert "to_police_force" in error.value.field_errors
    _to_force_c(world, referral, officer)
    stranger = f.officer_for(world, agency=f.AgencyFactory(local_authority=world.la_b))
    # An officer of the sending force sees the case and may withdraw, but not accept it.
    with pytest.raises(ActionForbidden):
        services.referral_accept_transfer(referral_id=referral.pk, actor=stranger)
    council_c_chair = f.chair_for(world, agency=world.council_c)
    with pytest.raises(Referral.DoesNotExist):  # not a Channel case: not theirs to decide
        services.referral_accept_transfer(referral_id=referral.pk, actor=council_c_chair)


def test_a_channel_case_moves_between_chairs(world):
    referral = f.channel_panel(world)
    chair = f.chair_for(world)
    services.referral_transfer(
        referral_id=referral.pk,
        actor=chair,
        to_local_authority_id=world.la_b.pk,
        reason="Moved to Southmere.",
    )
    chair_b = f.chair_for(world, agency=world.council_b)
    moved = services.referral_accept_transfer(referral_id=referral.pk, actor=chair_b)
    assert moved.state == State.CHANNEL_PANEL
    assert referrals_visible_to(chair_b).filter(pk=referral.pk).exists()
    assert not referrals_visible_to(chair).filter(pk=referral.pk).exists()


def test_a_closed_case_cannot_be_transferred(world):
    referral = f.closed_by_police(world)
    with pytest.raises(TransitionNotAllowed):
        _to_force_c(world, referral, f.officer_for(world))


def test_the_statistics_count_the_case_once_in_the_area_where_it_ends(world, client):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    _to_force_c(world, referral, officer)
    services.referral_accept_transfer(
        referral_id=referral.pk, actor=f.officer_for(world, agency=world.police_c)
    )
    assert Referral.objects.filter(local_authority=world.la_a, pk=referral.pk).count() == 0
    assert Referral.objects.filter(local_authority=world.la_c, pk=referral.pk).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accept_raced_against_a_transition_one_wins(world):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    _to_force_c(world, referral, officer)
    receiving = f.officer_for(world, agency=world.police_c)
    outcomes = race(
        lambda: services.referral_accept_transfer(referral_id=referral.pk, actor=receiving),
        lambda: referral_services.referral_transition(
            referral_id=referral.pk,
            name="close",
            actor=officer,
            payload={"reason": "no_further_action", "rationale": "Nothing more to do."},
        ),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], Referral.DoesNotExist | TransitionNotAllowed), outcomes
    referral.refresh_from_db()
    transfer = AreaTransfer.objects.get(referral=referral)
    if isinstance(errors[0], TransitionNotAllowed):  # closed first: nothing moved
        assert (referral.state, referral.police_force_id) == (State.CLOSED, world.force.pk)
        assert transfer.status == TransferStatus.PENDING
    else:  # moved first: still open, in the new force
        assert (referral.state, referral.police_force_id) == (
            State.POLICE_ASSESSMENT,
            world.other_force.pk,
        )
        assert transfer.status == TransferStatus.ACCEPTED
