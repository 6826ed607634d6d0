"""Every page each demo person reaches from home, and every form on them (issue 24).

Screen readers read a field's hint and error only when the field names them through
``aria-describedby``; a page's title is what a screen reader says first and what a tab or the
browser history shows, so two different pages must never share one.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client, override_settings

from accounts.demo import PEOPLE, seed_people
from prevent_cms.registry import ensure_reference_data, seeders
from referrals.models import Subject
from training.models import StaffMember

from .page_walk import Walk, described_fields, send_forms, walk

# The module fixture builds its own data; the mark tells pytest-django to make a test database.
pytestmark = pytest.mark.django_db
LONG_SESSIONS = {"SESSION_IDLE_TIMEOUT": 24 * 60 * 60, "SESSION_COOKIE_AGE": 24 * 60 * 60}


@pytest.fixture(scope="module")
def walks(django_db_setup, django_db_blocker) -> list[Walk]:
    """The demo data, walked by every demo person, in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), override_settings(**LONG_SESSIONS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_reference_data()
            people = seed_people()
            for seed in seeders():
                seed(people)
            found = []
            for username in PEOPLE:
                client = Client()
                client.force_login(people[username])
                walked = walk(client, username)
                send_forms(client, walked)
                found.append(walked)
            names = {f"{s.first_name} {s.last_name}" for s in Subject.objects.all()}
            names |= set(StaffMember.objects.values_list("name", flat=True))
            for walked in found:
                walked.names = names
            yield found
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_walk_reaches_the_pages_of_every_role(walks):
    reached = {w.person: len(w.pages) for w in walks}
    assert all(count >= 3 for count in reached.values()), reached
    assert sum(len(w.answers) for w in walks) >= 20, "forms sent"


def test_every_hint_and_error_is_read_with_its_field(walks):
    problems = set()
    for walked in walks:
        for page in walked.pages:
            problems.update(f"{page.url}: {p}" for p in described_fields(page.tree))
        for origin, answer in walked.answers:
            problems.update(f"{origin} (sent): {p}" for p in described_fields(answer.tree))
    assert sorted(problems) == []


def test_a_page_with_errors_says_so_in_its_title(walks):
    wrong = set()
    for walked in walks:
        for origin, answer in walked.answers:
            shows_error = answer.tree.xpath("//*[contains(@class, 'govuk-error-summary')]")
            if shows_error and not answer.title.startswith("Error:"):
                wrong.add(f"{origin}: {answer.title}")
            if answer.title.startswith("Error: Error:"):
                wrong.add(f"{origin}: {answer.title}")
    assert sorted(wrong) == []


def test_no_two_pages_share_a_title(walks):
    """Unless they are the same page: the same path and the same filters."""
    pages_by_title = defaultdict(set)
    for walked in walks:
        for page in walked.pages:
            pages_by_title[page.title].add(page.key)
    shared = {title: sorted(keys) for title, keys in pages_by_title.items() if len(keys) > 1}
    assert shared == {}


def test_labels_and_legends_carry_gov_uk_size_classes(walks):
    """A size is a modifier class (govuk-label--s), never a bare letter beside the block."""
    wrong = set()
    for walked in walks:
        for page in walked.pages + [answer for _origin, answer in walked.answers]:
            for element in page.tree.xpath("//label|//legend"):
                classes = (element.get("class") or "").split()
                if {"s", "m", "l", "xl"} & set(classes):
                    wrong.add(f"{page.url}: <{element.tag} class={' '.join(classes)!r}>")
    assert sorted(wrong) == []


def test_titles_name_cases_and_records_by_reference_never_by_person(walks):
    named = set()
    for walked in walks:
        for page in walked.pages:
            named.update(f"{page.url}: {page.title}" for n in walked.names if n in page.title)
    assert sorted(named) == []
