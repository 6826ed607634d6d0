"""The navigation's counts (transfers waiting, unread notifications) in one query a page
(issue 25): each was a round trip of its own on every page. Nothing is kept between
requests, so no count is stale after a change, nor anyone else's."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from persons import services
from prevent_cms.models import Notification
from prevent_cms.registry import counts_in_one_query
from referrals.models import Referral
from tests.referrals import factories as f

PAGE = "/referrals/queue/"


def _counts(html: str) -> tuple[str | None, str | None]:
    waiting = re.search(r'data-waiting="(\d+)"', html)
    unread = re.search(r'data-unread="(\d+)"', html)
    return (waiting and waiting.group(1), unread and unread.group(1))


def _transfer(world, to):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    services.referral_transfer(
        referral_id=referral.pk, actor=officer, to_local_authority_id=to.pk, reason="Moved."
    )
    return referral


def _notify(user, n=1):
    for i in range(n):
        Notification.objects.create(recipient=user, kind="receipt", subject="A referral", key=i)


def test_both_counts_are_one_query(world, client):
    receiving = f.officer_for(world, agency=world.police_c)
    _transfer(world, world.la_c)
    _notify(receiving, 2)
    client.force_login(receiving)
    client.get(PAGE)  # the session's first activity
    with CaptureQueriesContext(connection) as captured:
        html = client.get(PAGE).content.decode()
    assert _counts(html) == ("1", "2")
    counting = [
        q["sql"]
        for q in captured.captured_queries
        if "persons_areatransfer" in q["sql"] or "prevent_cms_notification" in q["sql"]
    ]
    assert len(counting) == 1
    assert "persons_areatransfer" in counting[0]
    assert "prevent_cms_notification" in counting[0]


def test_counts_follow_the_person_s_own_action_at_once(world, client):
    receiving = f.officer_for(world, agency=world.police_c)
    referral = _transfer(world, world.la_c)
    _notify(receiving)
    client.force_login(receiving)
    assert _counts(client.get(PAGE).content.decode()) == ("1", "1")
    row = Notification.objects.get(recipient=receiving)
    assert client.post(reverse("notification_read", args=[row.pk])).status_code == 302
    services.referral_accept_transfer(referral_id=referral.pk, actor=receiving)
    assert _counts(client.get(PAGE).content.decode()) == (None, None)


def test_people_of_other_scopes_get_their_own_counts(world, client):
    receiving = f.officer_for(world, agency=world.police_c)
    sending = f.officer_for(world)
    _transfer(world, world.la_c)
    _transfer(world, world.la_c)
    _notify(sending, 3)
    client.force_login(receiving)
    assert _counts(client.get(PAGE).content.decode()) == ("2", None)
    client.force_login(sending)
    assert _counts(client.get(PAGE).content.decode()) == (None, "3")
    client.force_login(receiving)
    assert _counts(client.get(PAGE).content.decode()) == ("2", None)


def test_counts_in_one_query_counts_each_and_none_as_zero(world, django_assert_num_queries):
    f.SubmittedFactory.create_batch(3, referrer=f.referrer_for(world))
    with django_assert_num_queries(1):
        counts = counts_in_one_query(
            {
                "all": Referral.objects.all(),
                "urgent": Referral.objects.filter(urgent=True),
                "none": Referral.objects.none(),
                "open": Referral.objects.exclude(state="closed").order_by("submitted_at"),
            }
        )
    assert counts == {
        "all": Referral.objects.count(),
        "urgent": Referral.objects.filter(urgent=True).count(),
        "none": 0,
        "open": Referral.objects.exclude(state="closed").count(),
    }
