"""Every page each demo person reaches from home, and every form on them (issues 19 and 24),
walked once (``tests.walk``) and checked many ways.

Screen readers read a field's hint and error only when the field names them through
``aria-describedby``; a page's title is what a screen reader says first and what a tab or the
browser history shows, so two different pages must never share one. Each error-summary link
lands on a focusable input (GOV.UK error summary; WCAG 3.3.1): a link to a radio group's own
id, a date's wrapper ``<div>`` or ``#main-content`` moves focus nowhere. People read labels,
never codes (STYLE.md): no text is a stored code (``not_present``, ``18_to_20``) or a UUID.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client, override_settings

from accounts.demo import PEOPLE
from accounts.models import User
from prevent_cms.registry import ensure_reference_data
from referrals.models import Subject
from tests.walk import ROLES, Walk, described_fields, seed, send_forms, walk
from training.models import StaffMember

# The module fixture builds its own data; the mark tells pytest-django to make a test database.
# One xdist worker runs the whole module, so the walk (seed and every role's pages) is built once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("page_walk")]
LONG_SESSIONS = {"SESSION_IDLE_TIMEOUT": 24 * 60 * 60, "SESSION_COOKIE_AGE": 24 * 60 * 60}


@pytest.fixture(scope="module")
def walks(django_db_setup, django_db_blocker) -> list[Walk]:
    """The demo data, walked by every demo person, in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), override_settings(**LONG_SESSIONS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_reference_data()
            seed()
            people = {user.username: user for user in User.objects.filter(username__in=PEOPLE)}
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
        for origin, _method, answer in walked.answers:
            problems.update(f"{origin} (sent): {p}" for p in described_fields(answer.tree))
    assert sorted(problems) == []


def test_a_page_with_errors_says_so_in_its_title(walks):
    wrong = set()
    for walked in walks:
        for origin, _method, answer in walked.answers:
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
        for page in walked.pages + [answer for _origin, _method, answer in walked.answers]:
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


# --- Words, not codes ----------------------------------------------------------------------

CODE = re.compile(
    r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b"  # not_present, 18_to_20
    r"|\b(?:referral|channel|consultation|job|auth|training|reports|audit|user)\.[a-z_.]+\b"
)
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
# Text that is not prose a person reads: scripts and styles, and what a person must type
# exactly as shown (STYLE.md: codes a person types stand in <code>). URLs are not text.
NOT_PROSE = "ancestor::script or ancestor::style or ancestor::code"


def codes_shown(tree) -> list[str]:
    found = []
    for text in tree.xpath(f".//text()[not({NOT_PROSE})]"):
        found += CODE.findall(text) + UUID.findall(text)
    return found


def test_no_page_shows_a_code_or_a_uuid(walks):
    shown = {
        f"{walked.person} {page.url}": sorted(set(codes))
        for walked in walks
        for page in walked.pages + [answer for _origin, _method, answer in walked.answers]
        if (codes := codes_shown(page.tree))
    }
    assert shown == {}, "\n".join(f"{where}: {codes}" for where, codes in shown.items())


# --- Error summaries -------------------------------------------------------------------------

FOCUSABLE_INPUTS = {"input", "select", "textarea", "button"}


def _focusable(element) -> bool:
    if element.get("disabled") is not None or element.get("type") == "hidden":
        return False
    return element.tag in FOCUSABLE_INPUTS or element.get("tabindex") is not None


def _broken_links(client, tree) -> list[str]:
    broken = []
    for link in tree.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a"):
        href = link.get("href", "")
        if href.startswith("/"):  # the question's own page (check your answers)
            if client.get(href).status_code != 200:
                broken.append(f"{href}: {link.text_content().strip()}")
            continue
        found = tree.xpath("//*[@id=$id]", id=href.removeprefix("#")) if href[:1] == "#" else []
        if not found or not _focusable(found[0]):
            tag = found[0].tag if found else "nothing"
            broken.append(f"{href} ({tag}): {link.text_content().strip()}")
    for summary in tree.xpath("//*[contains(@class, 'govuk-error-summary__list')]"):
        broken += [f"code shown: {code}" for code in codes_shown(summary)]
    return broken


def test_every_error_summary_link_lands_on_a_focusable_input(walks):
    problems, summaries = {}, defaultdict(int)
    for walked in walks:
        for origin, method, answer in walked.answers:
            if method != "post" or not answer.tree.xpath(
                "//*[contains(@class, 'govuk-error-summary__list')]"
            ):
                continue
            summaries[walked.person] += 1
            if broken := _broken_links(walked.client, answer.tree):
                problems[f"{walked.person} {origin} -> {answer.url}"] = broken
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    # Every role with forms to fill met at least one error summary.
    quiet = {ROLES[role] for role in ("admin", "provider", "panel member")}
    assert {username for username in ROLES.values() if username not in quiet} <= set(summaries)


def test_the_subject_access_form_is_sent_and_its_summary_checked(walks):
    """The subject access page is among the forms sent blank above (issue 19): its error
    summary is one of those whose links are checked."""
    officer = next(w for w in walks if w.person == ROLES["officer"])
    sent = [
        answer
        for origin, method, answer in officer.answers
        if method == "post" and origin.startswith("/referrals/subject-access/")
    ]
    assert sent
    assert sent[0].tree.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a")
    assert _broken_links(officer.client, sent[0].tree) == []
