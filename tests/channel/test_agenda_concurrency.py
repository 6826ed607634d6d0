"""Two chairs add one case to two open agendas at the same moment: one wins, the other gets
409 naming the panel (issue 16). The case's row lock takes them one after the other.

Needs PostgreSQL: the two threads must hold real, separate connections and row locks.
"""

import datetime

import pytest
from django.db import connection

from accounts.models import Role
from channel.models import AgendaItem
from channel.services.agenda import panel_add_case
from channel.services.panels import panel_create
from prevent_cms.errors import Conflict
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals.test_concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_two_chairs_add_one_case_to_two_open_agendas_at_once(world, reference_data):
    team = cf.channel_team(world)
    second_chair = UserFactory(agency=world.council_a, roles=[Role.CHANNEL_CHAIR])
    referral = cf.channel_panel(world, team)
    panels = [
        panel_create(
            actor=chair,
            date=cf.today() + datetime.timedelta(days=days),
            location="Room 1",
            member_ids=[team.officer.pk],
        )
        for chair, days in ((team.chair, 7), (second_chair, 14))
    ]

    def add(chair, panel):
        return lambda: panel_add_case(panel_id=panel.pk, actor=chair, referral_id=referral.pk)

    outcomes = race(add(team.chair, panels[0]), add(second_chair, panels[1]))
    winners = [o for o in outcomes if isinstance(o, AgendaItem)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    assert AgendaItem.objects.filter(referral=referral).count() == 1
    won = winners[0].panel
    assert f"{won.date:%-d %B %Y}" in losers[0].detail
