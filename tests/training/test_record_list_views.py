"""The training records list's filters, sort and saved views (issue 19): filters and sort are
GET parameters (bookmarkable, back-button safe); every column sorts both ways through its
header link, marked with aria-sort; a person saves a named view of the list, applies and
deletes it, and no one else can see or use it."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from accounts.models import Role
from prevent_cms.models import SavedView
from tests.training.factories import (
    CurrentRecordFactory,
    ExpiredRecordFactory,
    StaffMemberFactory,
    standard_course,
)
from training.dates import today
from training.models import TrainingRecord

LIST = reverse("training:record_list")


@pytest.fixture
def borough(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def _rows(response) -> list[list[str]]:
    tree = lxml_html.fromstring(response.content)
    return [
        [cell.text_content().strip() for cell in row.xpath("./td")]
        for row in tree.xpath("//table[contains(@class, 'govuk-table')]/tbody/tr")
    ]


def _staff(agency, name, factory=CurrentRecordFactory, **kwargs):
    return factory(staff=StaffMemberFactory(agency=agency, name=name), **kwargs)


def test_filters_are_get_parameters(client, world, borough):
    _staff(world.school_a, "Ann Expired", ExpiredRecordFactory)
    _staff(world.health_a, "Bob Current")
    client.force_login(borough)
    response = client.get(LIST, {"status": "expired"})
    assert [row[0] for row in _rows(response)] == ["Ann Expired"]
    response = client.get(LIST, {"agency": str(world.health_a.pk)})
    assert [row[0] for row in _rows(response)] == ["Bob Current"]
    # The filter form says what the address chose.
    tree = lxml_html.fromstring(response.content)
    (chosen,) = tree.xpath("//select[@name='agency']/option[@selected]")
    assert chosen.get("value") == str(world.health_a.pk)


def _expected(key: str) -> list[str]:
    """The names in the order the column ``key`` sorts them, worked out from the records."""
    records = TrainingRecord.objects.select_related("staff__agency", "course")
    column = {
        "name": lambda r: (r.staff.name,),
        "agency": lambda r: (r.staff.agency.name, r.staff.name),
        "course": lambda r: (r.course.title, r.staff.name),
        "completed": lambda r: (r.completed_on, r.staff.name),
        "expires": lambda r: (r.expires_on, r.staff.name),
        "status": lambda r: (r.expires_on, r.staff.name),
    }[key]
    return [r.staff.name for r in sorted(records, key=column)]


COLUMNS = ("name", "agency", "course", "completed", "expires", "status")


def test_every_column_sorts_both_ways_from_its_header(client, world, borough):
    on = today()
    _staff(world.health_a, "Ann", completed_on=on - timedelta(days=900))
    _staff(world.police_a, "Bob", completed_on=on - timedelta(days=10))
    _staff(
        world.school_a,
        "Cat",
        course=standard_course("referrals"),
        completed_on=on - timedelta(days=300),
    )
    client.force_login(borough)
    orders = {key: _expected(key) for key in COLUMNS}
    assert len({tuple(order) for order in orders.values()}) >= 3  # the columns tell apart
    tree = lxml_html.fromstring(client.get(LIST).content)
    headers = tree.xpath("//table//th[@aria-sort]")
    assert [th.get("aria-sort") for th in headers] == ["ascending"] + ["none"] * 5  # by name
    for key, header in zip(COLUMNS, headers, strict=True):
        label = header.text_content().strip()
        # The list starts sorted by name, so that header's link reverses it; the others sort
        # ascending first. Either way, following the link again turns it round.
        states = ["descending", "ascending"] if key == "name" else ["ascending", "descending"]
        link = header.xpath("./a")[0].get("href")
        for state in states:
            response = client.get(LIST + link)
            expected = orders[key] if state == "ascending" else orders[key][::-1]
            assert [row[0] for row in _rows(response)] == expected, (key, state)
            shown = lxml_html.fromstring(response.content)
            (sorted_header,) = shown.xpath("//th[@aria-sort!='none']")
            assert sorted_header.get("aria-sort") == state
            assert sorted_header.text_content().strip() == label
            link = sorted_header.xpath("./a")[0].get("href")


def test_a_view_is_saved_applied_and_deleted(client, world, borough):
    _staff(world.school_a, "Ann Expired", ExpiredRecordFactory)
    _staff(world.health_a, "Bob Current")
    client.force_login(borough)
    shown = client.get(LIST, {"status": "expired", "sort": "-name"})
    tree = lxml_html.fromstring(shown.content)
    (form,) = tree.xpath("//form[.//input[@name='page'][@value='training:record_list']]")
    query = form.xpath(".//input[@name='query']")[0].get("value")
    saved = client.post(
        form.get("action"), {"page": "training:record_list", "query": query, "name": "Expired"}
    )
    (view,) = SavedView.objects.filter(owner=borough)
    assert parse_qs(view.query) == {"status": ["expired"], "sort": ["-name"]}
    assert urlsplit(saved.url).path == LIST
    listed = client.get(LIST)
    apply_url = reverse("saved_view", args=[view.pk])
    assert f'href="{apply_url}">Expired</a>' in listed.content.decode()
    applied = client.get(apply_url, follow=True)
    assert [row[0] for row in _rows(applied)] == ["Ann Expired"]
    # Saved again under the same name: replaced, not doubled.
    client.post(
        reverse("saved_view_create"),
        {"page": "training:record_list", "query": "status=current", "name": "Expired"},
    )
    assert SavedView.objects.get(pk=view.pk).query == "status=current"
    delete_url = reverse("saved_view_delete", args=[view.pk])
    assert "Delete this saved view?" in client.get(delete_url).content.decode()
    assert client.post(delete_url).status_code == 302
    assert not SavedView.objects.exists()


def test_a_view_needs_a_name_and_keeps_no_search_term(client, world, borough):
    client.force_login(borough)
    refused = client.post(
        reverse("saved_view_create"),
        {"page": "training:record_list", "query": "status=expired", "name": " "},
    )
    assert refused.status_code == 400
    assert "Enter a name for the view" in refused.content.decode()
    client.post(
        reverse("saved_view_create"),
        {"page": "training:record_list", "query": "search=abc&status=expired", "name": "Mine"},
    )
    assert SavedView.objects.get().query == "status=expired"
    assert (
        client.post(
            reverse("saved_view_create"), {"page": "admin:index", "query": "", "name": "x"}
        ).status_code
        == 404
    )


def test_another_person_cannot_see_or_use_a_view(client, world, borough):
    view = SavedView.objects.create(
        owner=borough, page="training:record_list", name="Borough expired", query="status=expired"
    )
    other = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    client.force_login(other)
    assert "Borough expired" not in client.get(LIST).content.decode()
    assert client.get(reverse("saved_view", args=[view.pk])).status_code == 404
    delete_url = reverse("saved_view_delete", args=[view.pk])
    assert client.get(delete_url).status_code == 404
    assert client.post(delete_url).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_queries_do_not_grow_with_rows_or_views(
    client, world, borough, django_assert_max_num_queries
):
    client.force_login(borough)
    for count in (2, 30):
        for n in range(count):
            _staff(world.school_a, f"Person {count}-{n}", ExpiredRecordFactory)
            SavedView.objects.create(
                owner=borough, page="training:record_list", name=f"View {count}-{n}"
            )
        # The filters are kept for the downloads once, when they change: not part of this.
        client.get(LIST, {"status": "expired"})
        for sort in ("name", "-agency", "course", "completed", "-expires", "status"):
            with django_assert_max_num_queries(12):
                response = client.get(LIST, {"sort": sort, "status": "expired"})
            assert response.status_code == 200
            assert re.search(r"aria-sort=\"(ascending|descending)\"", response.content.decode())
