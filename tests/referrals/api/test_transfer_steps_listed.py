"""A case's ``available_transitions`` in the API lists the transfer steps (issue 18) when
the caller may take them, as the lifecycle's steps are listed."""

from persons import services
from tests.referrals import factories as f
from tests.referrals.api.conftest import as_user

LIST = "/api/v1/referrals/"


def _listed(api, user, referral) -> list[str]:
    response = as_user(api, user).get(f"{LIST}{referral.pk}/")
    assert response.status_code == 200
    return response.json()["available_transitions"]


def test_the_officer_is_offered_transfer_then_withdraw_and_a_colleague_accept(api, world):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    assert "transfer" in _listed(api, officer, referral)
    services.referral_transfer(
        referral_id=referral.pk, actor=officer, to_local_authority_id=world.la_b.pk, reason="Moved."
    )
    listed = _listed(api, officer, referral)
    assert "transfer" not in listed  # one pending at a time
    assert "decline_transfer" in listed
    assert "accept_transfer" in _listed(api, f.officer_for(world), referral)


def test_the_referrer_is_offered_no_transfer_step(api, world):
    referral = f.assessed(world)
    listed = _listed(api, referral.referrer, referral)
    assert not {"transfer", "accept_transfer", "decline_transfer"} & set(listed)


def test_the_chair_of_a_channel_case_is_offered_transfer(api, world):
    referral = f.channel_panel(world)
    assert "transfer" in _listed(api, f.chair_for(world), referral)
