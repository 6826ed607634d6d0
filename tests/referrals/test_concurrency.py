"""Two officers acting on one case at once: one wins, the other gets 409 (DESIGN.md §4).

Needs PostgreSQL: SQLite has no row locks (``select_for_update`` is a no-op there), and the
two threads must hold real, separate connections.
"""

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from prevent_cms.errors import TransitionNotAllowed
from referrals import services
from referrals.choices import State
from referrals.models import Referral
from tests.referrals import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def race(*callables) -> list:
    """Run the callables at the same moment in threads; return each one's result or error."""
    barrier = threading.Barrier(len(callables))
    outcomes: list = [None] * len(callables)

    def runner(index, fn):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = fn()
        except Exception as error:  # the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_officers_start_one_assessment_through_the_services(world):
    referral = f.submitted(world)
    first, second = f.officer_for(world), f.officer_for(world)

    def start(officer):
        return lambda: services.referral_transition(
            referral_id=referral.pk, name="start_assessment", actor=officer
        )

    outcomes = race(start(first), start(second))
    winners = [o for o in outcomes if isinstance(o, Referral)]
    losers = [o for o in outcomes if isinstance(o, TransitionNotAllowed)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.state == State.POLICE_ASSESSMENT
    assert stored.assigned_officer_id == winners[0].assigned_officer_id
    assert stored.history.filter(name="start_assessment").count() == 1


def test_two_officers_start_one_assessment_through_the_api(world):
    referral = f.submitted(world)
    officers = [f.officer_for(world), f.officer_for(world)]

    def start(officer):
        def call():
            api = APIClient()
            api.force_authenticate(officer)
            return api.post(
                f"/api/v1/referrals/{referral.pk}/transitions/start_assessment/",
                {},
                format="json",
            ).status_code

        return call

    outcomes = race(*(start(o) for o in officers))
    assert sorted(outcomes) == [200, 409], outcomes
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.history.filter(name="start_assessment").count() == 1
    assert stored.version == 3  # created at 1, submitted, started: nothing half-applied
