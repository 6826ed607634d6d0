"""Sorting the triage queue by any column, and saving it as a named view (issue 19).

The sort is a GET parameter like the filters (a sorted, filtered queue can be bookmarked,
saved and gone back to); it is a whitelisted key ordered in SQL by the queue's one selector,
with the submission time and the primary key after it, so keyset pages in any order neither
repeat nor skip a case. Each column's header is a link with ``aria-sort`` (the GOV.UK / MOJ
sortable table), and works without JavaScript. A saved view is its owner's alone.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from prevent_cms.models import SavedView
from referrals.choices import State
from referrals.selectors import QUEUE_SORTS, referral_queue
from tests.referrals import factories as f

QUEUE = reverse("referrals:queue")


@pytest.fixture
def now() -> datetime.datetime:
    """Now, as the test starts: the clocks count local dates from it. Taken when the module
    was imported, a run that crossed midnight before the test put the panel's clock a day out
    ("24 days", not "25")."""
    return timezone.now()


def _ago(now: datetime.datetime, hours: int) -> datetime.datetime:
    return now - datetime.timedelta(hours=hours)


@pytest.fixture
def cases(world, now):
    """Six open cases of the force, each column's values different, in three stages (two
    with no clock: police-led), the clocks started at different times."""
    school_a = world.user(Role.REFERRER, agency=world.school_a)
    health_a = world.user(Role.REFERRER, agency=world.health_a)
    school_b = world.user(Role.REFERRER, agency=world.school_b)
    rows = [
        # (factory, referrer, last name, first name, submitted hours ago, clock hours ago)
        (f.SubmittedFactory, school_b, "Pryce", "Ann", 30, None),
        (f.SubmittedFactory, health_a, "Evans", "Bryn", 5, None),
        (f.InPoliceAssessmentFactory, school_a, "Morgan", "Cai", 400, 10),
        (f.InPoliceAssessmentFactory, school_b, "Abbott", "Dee", 200, 90),
        (f.ChannelPanelFactory, health_a, "Jones", "Eli", 900, 600),
        (f.PoliceLedFactory, school_a, "Williams", "Fay", 700, None),
    ]
    made = []
    for n, (factory, referrer, last, first, submitted, started) in enumerate(rows):
        extra = {}
        if factory is f.InPoliceAssessmentFactory:
            extra["assessment_started_at"] = _ago(now, started)
        if factory is f.ChannelPanelFactory:
            extra["decided_at"] = _ago(now, started)
        made.append(
            factory(
                referrer=referrer,
                reference=f"PRV-2026-00000{6 - n}",  # the reverse of the rows' order
                subject__first_name=first,
                subject__last_name=last,
                submitted_at=_ago(now, submitted),
                **extra,
            )
        )
    return made


def _references(client, **params) -> list[str]:
    response = client.get(QUEUE, {"state": "", **params})  # "Any open stage"
    assert response.status_code == 200
    return [row["reference"] for row in response.context["rows"]]


def _clock_start(case):
    return {
        State.SUBMITTED: case.submitted_at,
        State.POLICE_ASSESSMENT: case.assessment_started_at,
        State.CHANNEL_PANEL: case.channel_entered_at,
    }.get(case.state)


EXPECTED = {
    "reference": lambda c: c.reference,
    "local_authority": lambda c: c.local_authority.name,
    "referred_by": lambda c: c.referrer_agency.name,
    "stage": lambda c: State.values.index(c.state),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_column_sorts_both_ways(world, client, cases, key):
    client.force_login(f.officer_for(world))
    # Ties (two cases of a local authority, of a stage) fall back on the submission time.
    ascending = sorted(cases, key=lambda c: (EXPECTED[key](c), c.submitted_at))
    assert _references(client, sort=key) == [c.reference for c in ascending]
    descending = sorted(cases, key=lambda c: (EXPECTED[key](c), c.submitted_at), reverse=True)
    assert _references(client, sort=f"-{key}") == [c.reference for c in descending]


def test_the_clock_sorts_by_the_days_it_shows_and_cases_without_one_come_last(world, client, cases):
    client.force_login(f.officer_for(world))
    with_clock = [c for c in cases if _clock_start(c)]
    without = [
        c.reference for c in sorted(cases, key=lambda c: c.submitted_at) if c not in with_clock
    ]
    fewest_days = sorted(with_clock, key=_clock_start, reverse=True)
    assert _references(client, sort="clock") == [c.reference for c in fewest_days] + without
    most_days = [c.reference for c in reversed(fewest_days)]
    assert _references(client, sort="-clock") == most_days + list(reversed(without))
    # The page shows it: most days first.
    rows = client.get(QUEUE, {"state": "", "sort": "-clock"}).context["rows"]
    assert rows[0]["clock_label"].startswith("25 days")  # the panel's 600 hours


def test_an_unknown_sort_is_the_default_order_never_a_column_from_the_address(world, client, cases):
    client.force_login(f.officer_for(world))
    default = _references(client)
    assert default == [c.reference for c in sorted(cases, key=lambda c: c.submitted_at)]
    # Nor the person's name: a cursor would carry it in the address (``QUEUE_SORTS``).
    for sort in ("person", "-person", "subject__last_name", "id; DROP TABLE x", "-", "state"):
        assert _references(client, sort=sort) == default


def test_the_headers_are_sort_links_with_aria_sort(world, client, cases):
    client.force_login(f.officer_for(world))
    page = client.get(
        QUEUE, {"state": "", "sort": "-local_authority", "after": "x"}
    ).content.decode()
    headers = re.findall(r'<th scope="col"[^>]*aria-sort="(\w+)"><a [^>]*href="\?([^"]*)"', page)
    assert len(headers) == 5
    states = [state for state, _href in headers]
    assert states == ["none", "descending", "none", "none", "none"]
    for _state, href in headers:
        query = parse_qs(href.replace("&amp;", "&"), keep_blank_values=True)
        assert query["state"] == [""]  # the filters are kept
        assert "after" not in query  # a cursor of another order is dropped
    sorts = [parse_qs(href.replace("&amp;", "&"))["sort"][0] for _s, href in headers]
    assert sorts == ["reference", "local_authority", "referred_by", "stage", "clock"]
    default = client.get(QUEUE).content.decode()
    assert 'aria-sort="ascending"' not in default
    assert 'aria-sort="descending"' not in default


@pytest.mark.parametrize(
    "sort", ["local_authority", "-reference", "clock", "-clock", "stage", "-referred_by"]
)
def test_keyset_pages_of_a_sorted_queue_hold_every_case_once(world, client, now, sort):
    referrers = [world.user(Role.REFERRER, agency=a) for a in (world.school_a, world.school_b)]
    for n in range(31):
        factory = (f.SubmittedFactory, f.InPoliceAssessmentFactory, f.PoliceLedFactory)[n % 3]
        factory(
            referrer=referrers[n % 2],
            subject__last_name=("Hughes", "Davies", "Ap Rhys")[n % 3],  # many ties
            subject__first_name=f"N{n % 4}",
            submitted_at=_ago(now, n % 5),  # ties here too: the primary key decides
        )
    officer = f.officer_for(world)
    client.force_login(officer)
    everything = list(
        referral_queue(officer, state="", sort=sort).values_list("reference", flat=True)
    )
    assert len(everything) == 31
    seen, after, pages = [], None, []
    while True:
        response = client.get(
            QUEUE, {"state": "", "sort": sort, **({"after": after} if after else {})}
        )
        page = response.context["page"]
        pages.append(page)
        seen += [row["reference"] for row in response.context["rows"]]
        after = page.next_cursor
        if not after:
            break
    assert seen == everything  # in order, none twice, none left out
    back = client.get(QUEUE, {"state": "", "sort": sort, "before": pages[-1].previous_cursor})
    assert [row["reference"] for row in back.context["rows"]] == everything[:25]


def test_sorting_adds_no_query(world, client, django_assert_max_num_queries):
    """The same budget as the unsorted queue (tests/referrals/test_views.py), saved views
    shown: they ride on the page's query."""
    officer = f.officer_for(world)
    referrer = f.referrer_for(world)
    f.SubmittedFactory.create_batch(30, referrer=referrer)
    SavedView.objects.create(
        owner=officer, page="referrals:queue", name="Urgent", query="urgent=on"
    )
    client.force_login(officer)
    client.get(QUEUE)
    for sort in QUEUE_SORTS:
        with django_assert_max_num_queries(7):
            response = client.get(QUEUE, {"sort": sort})
        assert response.status_code == 200
        assert [view["name"] for view in response.context["saved_views"]] == ["Urgent"]


def test_filtering_keeps_the_sort(world, client, cases):
    client.force_login(f.officer_for(world))
    response = client.post(QUEUE, {"state": "", "sort": "-stage", "urgent": ""})
    assert parse_qs(urlparse(response["Location"]).query)["sort"] == ["-stage"]
    response = client.post(QUEUE, {"state": "", "sort": "state; --"})
    assert "sort" not in parse_qs(urlparse(response["Location"]).query)


def test_a_sorted_queue_s_filters_still_show_its_default_stages(world, client, cases):
    """With only a sort in the address the queue shows the triage stages, and so does its
    filter form: applying a filter then keeps to them rather than every open stage."""
    client.force_login(f.officer_for(world))
    page = client.get(QUEUE, {"sort": "stage"}).content.decode()
    stages = page.split('id="id_state"')[1].split("</select>")[0]
    assert re.search(r'<option value="triage"[^>]*selected', stages)
    assert not re.search(r'<option value=""[^>]*selected', stages)


def test_a_queue_view_is_saved_applied_and_private(world, client, cases):
    officer = f.officer_for(world)
    client.force_login(officer)
    shown = f"state=&local_authority={world.la_a.pk}&sort=-clock&search=abc&after=xyz"
    response = client.post(
        reverse("saved_view_create"),
        {"page": "referrals:queue", "name": "Northbridge, longest waiting", "query": shown},
    )
    assert response.status_code == 302
    view = SavedView.objects.get(owner=officer)
    # The filters and the sort, "Any open stage" kept; never the search nor a page cursor.
    assert parse_qs(view.query, keep_blank_values=True) == {
        "local_authority": [str(world.la_a.pk)],
        "sort": ["-clock"],
        "state": [""],
    }
    applied = client.get(reverse("saved_view", args=[view.pk]))
    assert applied.status_code == 302
    assert applied["Location"].startswith(QUEUE + "?")
    page = client.get(applied["Location"])
    expected = _references(client, local_authority=world.la_a.pk, sort="-clock")
    assert [row["reference"] for row in page.context["rows"]] == expected
    assert "Northbridge, longest waiting" in page.content.decode()

    # Another officer of the same force sees none of it.
    other = f.officer_for(world)
    client.force_login(other)
    assert "Northbridge, longest waiting" not in client.get(QUEUE).content.decode()
    assert client.get(reverse("saved_view", args=[view.pk])).status_code == 404
    assert client.post(reverse("saved_view_delete", args=[view.pk])).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()
