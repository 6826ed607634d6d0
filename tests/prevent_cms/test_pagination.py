"""Keyset pagination: every row once, in order, forwards and back; bad cursors are harmless."""

import datetime

import pytest
from django.db.models import Count, F, IntegerField, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone

from prevent_cms.pagination import _encode, count_up_to, keyset_page
from referrals.models import Referral
from tests.referrals import factories as f

ORDER = ("-urgent", "submitted_at", "id")


@pytest.fixture
def cases(world):
    """Ten submitted cases, some urgent, several sharing a submission time (ties on the
    leading columns are where a naive cursor skips or repeats rows)."""
    made = [f.direct(f.SubmittedFactory, world, immediate_risk=(k % 3 == 0)) for k in range(10)]
    moment = timezone.now() - datetime.timedelta(days=3)
    Referral.objects.filter(pk__in=[r.pk for r in made[:6]]).update(submitted_at=moment)
    return Referral.objects.filter(pk__in=[r.pk for r in made])


def walk_forwards(queryset, size):
    pages, cursor = [], None
    while True:
        page = keyset_page(queryset, ordering=ORDER, size=size, after=cursor)
        pages.append(page)
        cursor = page.next_cursor
        if cursor is None:
            return pages


@pytest.mark.parametrize("size", [1, 3, 4, 10, 25])
def test_forwards_every_row_once_in_order(cases, size):
    expected = list(cases.order_by(*ORDER).values_list("pk", flat=True))
    pages = walk_forwards(cases, size)
    seen = [row.pk for page in pages for row in page]
    assert seen == expected
    assert pages[0].previous_cursor is None
    assert all(page.previous_cursor for page in pages[1:])
    assert all(len(page) == size for page in pages[:-1])


def test_backwards_returns_the_page_before(cases):
    pages = walk_forwards(cases, 3)
    for earlier, later in zip(pages, pages[1:], strict=False):
        back = keyset_page(cases, ordering=ORDER, size=3, before=later.previous_cursor)
        assert [r.pk for r in back] == [r.pk for r in earlier]
        assert back.next_cursor is not None
    first_again = keyset_page(cases, ordering=ORDER, size=3, before=pages[1].previous_cursor)
    assert first_again.previous_cursor is None


@pytest.mark.parametrize(
    "cursor", ["not-base64!", "e30", "WzEsMiwzXQ", "WyJ4IiwieSIsInoiXQ", "", "%00"]
)
def test_a_tampered_cursor_shows_the_first_page(cases, cursor):
    first = keyset_page(cases, ordering=ORDER, size=4)
    for kwargs in ({"after": cursor}, {"before": cursor}):
        page = keyset_page(cases, ordering=ORDER, size=4, **kwargs)
        assert [r.pk for r in page] == [r.pk for r in first]


def test_count_stops_at_the_limit(cases):
    assert count_up_to(cases, 100) == 10
    assert count_up_to(cases, 4) == 5  # "more than 4"


def test_values_rows_page_like_instances(cases):
    expected = list(cases.order_by(*ORDER).values_list("pk", flat=True))
    rows = cases.values("id", "urgent", "submitted_at")
    seen = [row["id"] for page in walk_forwards(rows, 3) for row in page]
    assert seen == expected


@pytest.mark.parametrize(("limit", "expected"), [(100, 10), (10, 10), (4, 5)])
def test_the_page_counts_the_whole_list_in_its_own_query(
    cases, limit, expected, django_assert_num_queries
):
    rows = cases.values("id", "urgent", "submitted_at")
    with django_assert_num_queries(1):
        first = keyset_page(rows, ordering=ORDER, size=3, count_limit=limit)
    assert first.total == expected == count_up_to(cases, limit)
    assert set(first.items[0]) == {"id", "urgent", "submitted_at"}  # the count is not a column
    later = keyset_page(rows, ordering=ORDER, size=3, after=first.next_cursor, count_limit=limit)
    assert later.total == expected  # the whole list, not what follows the cursor


def test_a_page_past_the_end_still_counts_the_list(cases):
    rows = cases.values("id", "urgent", "submitted_at")
    last = walk_forwards(rows, 5)[-1]
    beyond = keyset_page(
        rows, ordering=ORDER, size=5, after=_cursor_of(rows, last.items[-1]), count_limit=100
    )
    assert list(beyond) == []
    assert beyond.total == 10


def _cursor_of(rows, row):
    """A cursor after ``row`` even on the last page (which has no "next" link of its own)."""
    return _encode(rows, ORDER, row)


def test_carried_values_ride_on_the_page_query_and_leave_its_rows(cases, django_assert_num_queries):
    """A value the page shows beside its rows (the person's saved views) comes back once,
    from the page's own query, and no row keeps it; a page with no rows reads none."""
    counted = Referral.objects.filter(urgent=True).order_by().values("urgent")
    urgent = Subquery(counted.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())
    expected = cases.filter(urgent=True).count()
    with django_assert_num_queries(1):
        page = keyset_page(
            cases.values("id", "urgent", "submitted_at"),
            ordering=ORDER,
            size=4,
            count_limit=100,
            carried={"urgent_count": urgent},
        )
    assert page.carried == {"urgent_count": expected}
    assert all(set(row) == {"id", "urgent", "submitted_at"} for row in page)
    empty = keyset_page(
        cases.none().values("id", "urgent", "submitted_at"),
        ordering=ORDER,
        size=4,
        carried={"urgent_count": urgent},
    )
    assert (empty.items, empty.carried) == ([], {})


def test_related_columns_and_annotations_page_exactly(cases):
    """A list sorted by a related column and by a worked-out value pages every row once."""
    ordering = ("subject__last_name", "-tag", "id")
    named = cases.annotate(tag=Concat(F("reference"), Value("!"))).values(
        "id", "subject__last_name", "tag"
    )
    expected = list(named.order_by(*ordering).values_list("id", flat=True))
    seen, cursor = [], None
    while True:
        page = keyset_page(named, ordering=ordering, size=3, after=cursor)
        seen += [row["id"] for row in page]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected
