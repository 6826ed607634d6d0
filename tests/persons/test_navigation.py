"""The service navigation's "Transfers waiting for you" (issue 18): for who may accept a
transfer (officers, chairs), with how many wait for them, counted in one query."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from persons import services
from tests.referrals import factories as f

PAGE = "/notifications/"


def _nav(client) -> str:
    html = client.get(PAGE).content.decode()
    return re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', html, re.S).group(0)


def _transfer(world, to):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    services.referral_transfer(
        referral_id=referral.pk, actor=officer, to_local_authority_id=to.pk, reason="Moved."
    )
    return referral


def test_officers_and_chairs_have_the_link_referrers_do_not(world, client):
    url = reverse("persons:transfers")
    for user in (f.officer_for(world), f.chair_for(world)):
        client.force_login(user)
        assert f'href="{url}"' in _nav(client)
        assert "Transfers waiting for you" in _nav(client)
    client.force_login(f.referrer_for(world))
    assert f'href="{url}"' not in _nav(client)


def test_the_link_counts_the_transfers_waiting_for_the_reader(world, client):
    receiving = f.officer_for(world, agency=world.police_c)
    client.force_login(receiving)
    assert "data-waiting" not in _nav(client)  # nothing waits: no count
    _transfer(world, world.la_c)
    assert 'data-waiting="1"' in _nav(client)
    _transfer(world, world.la_c)
    assert 'data-waiting="2"' in _nav(client)
    client.force_login(f.officer_for(world))  # the sending force: nothing waits for them
    assert "data-waiting" not in _nav(client)


def test_the_count_is_one_query_however_many_wait(world, client):
    receiving = f.officer_for(world, agency=world.police_c)
    client.force_login(receiving)
    _transfer(world, world.la_c)
    client.get(PAGE)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(PAGE)
    for _ in range(3):
        _transfer(world, world.la_c)
    with CaptureQueriesContext(connection) as four:
        html = client.get(PAGE).content.decode()
    assert 'data-waiting="4"' in html
    assert len(four.captured_queries) == len(one.captured_queries)
    counted = [q["sql"] for q in four.captured_queries if "persons_areatransfer" in q["sql"]]
    assert len(counted) == 1
    assert "COUNT(" in counted[0]
