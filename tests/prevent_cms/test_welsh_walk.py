"""Every page of every role, walked in Welsh (issue 19): no English left on them.

The walk is the one every page check uses (``tests.walk``), with the language cookie the
header's toggle sets. A page fails when a piece of its text (or a label a screen reader reads)
is an English msgid whose Welsh differs, which means the words were never marked for
translation or reach the page untranslated, or when it holds one of a short list of common
English words as a whole word. What people typed (names, notes, answers, organisations) stays
as they typed it, so every text value the demo data holds is taken out first, and so are
references, e-mail addresses and web addresses.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import override_settings

from accounts.demo import PEOPLE
from accounts.models import User
from prevent_cms.registry import ensure_reference_data
from tests.catalogue import read
from tests.walk import Walk, seed, walk_everyone

# The module fixture walks every role in Welsh (about 11 s): one xdist worker runs both tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("welsh_walk")]
LONG_SESSIONS = {"SESSION_IDLE_TIMEOUT": 24 * 60 * 60, "SESSION_COOKIE_AGE": 24 * 60 * 60}

# Common English words that have no place in a Welsh page, matched as whole words. None of
# them is also a Welsh word (so not "a", "i", "o", "am", "at", "is" or "on", which are).
ENGLISH = set(
    re.findall(
        r"[a-z]+",
        """the and you your case cases referral referrals with for this that not are has have was
    were will from what who when which there their they them been should must please select
    enter save continue back change delete cancel yes submit sign search filter view open
    closed date name page pages today due overdue record recorded add added none
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""",
    )
)
# English allowed on a Welsh page, each with why. Kept short on purpose.
# (The toggle's "English" carries lang="en-gb" and is skipped; programme and product names,
# Prevent, Channel, GOV.UK, are the same in both languages and are not in ENGLISH.)
ALLOWED = {
    "not-a-value": "what the walk itself types into filters, shown back to it",
}
# Text the database holds that is ours, translated through the catalogue when shown (and
# tables that never reach a page).
REFERENCE_DATA = {
    "referrals.ConcernType",
    "channel.AssessmentFactor",
    "channel.AssessmentFramework",
    "sessions.Session",
    "admin.LogEntry",
    "contenttypes.ContentType",
}
REFERENCE = re.compile(r"\b[A-Z]{2,4}-\d{4}-\d+\b")
EMAIL = re.compile(r"\S+@\S+")
URL = re.compile(r"\bhttps?://\S+|/\S+/")
WORD = re.compile(r"[A-Za-z]+")
# Prose a person reads, less what is not ours to translate: scripts, styles, codes a person
# types exactly (STYLE.md), and anything marked as another language (the toggle's "English").
TEXT = (
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::code"
    " or ancestor::*[@lang and not(starts-with(@lang, 'cy'))])]"
    " | //title/text()"
    " | //body//*[not(ancestor-or-self::*[@lang and not(starts-with(@lang, 'cy'))])]"
    "/@aria-label"
)


@pytest.fixture(scope="module")
def welsh_walks(django_db_setup, django_db_blocker) -> tuple[list[Walk], list[str]]:
    """The demo data walked in Welsh by every demo person, and every text value it holds."""
    with django_db_blocker.unblock(), override_settings(**LONG_SESSIONS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_reference_data()
            seed()
            people = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
            walks = walk_everyone({name: people[name] for name in PEOPLE}, language="cy")
            yield walks, typed_values()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def typed_values() -> list[str]:
    """Every text the database holds (what people typed, names, organisations), longest first,
    and people's full names as pages show them."""
    found: set[str] = set()

    def add(value) -> None:
        if isinstance(value, str):
            found.update(" ".join(part.split()) for part in value.splitlines())
            found.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, list | tuple):
            for item in value:
                add(item)

    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
        ]
        if not fields or model._meta.label in REFERENCE_DATA:
            continue
        for row in model.objects.values_list(*fields):
            add(list(row))
        first_last = {"first_name", "last_name"} <= set(fields)
        if first_last:
            for first, last in model.objects.values_list("first_name", "last_name"):
                found.add(f"{first} {last}")
    return sorted((v for v in found if len(v) >= 3), key=len, reverse=True)


def english_msgids() -> set[str]:
    """The English of every entry whose Welsh differs (a name like "CSV" is the same in both)."""
    return {
        " ".join(e.msgid.split())
        for e in read()
        if "%" not in e.msgid
        and "{" not in e.msgid
        and e.msgstr.get("msgstr", "") != e.msgid
        and e.msgid_plural is None
    }


def english_on(tree, msgids: set[str], typed: list[str], typed_set: set[str]) -> list[str]:
    shown = []
    for node in tree.xpath(TEXT):
        text = " ".join(str(node).split())
        if not text or text in ALLOWED:
            continue
        if text in msgids and text not in typed_set:  # a course named "Prevent referrals"
            shown.append(text)
            continue
        if not {w.lower() for w in WORD.findall(text)} & ENGLISH:
            continue
        if text.endswith("…") and any(v.startswith(text[:-1]) for v in typed):
            continue  # a long name cut short to fit
        for value in typed:
            if value in text:
                text = text.replace(value, " ")
        for allowed in ALLOWED:
            text = text.replace(allowed, " ")
        text = URL.sub(" ", EMAIL.sub(" ", REFERENCE.sub(" ", text)))
        words = sorted({w for w in WORD.findall(text) if w.lower() in ENGLISH})
        if words:
            shown.append(f"{' '.join(str(node).split())[:90]!r} ({', '.join(words)})")
    return shown


def test_the_welsh_walk_reaches_the_pages_of_every_role(welsh_walks):
    walks, _typed = welsh_walks
    assert all(len(w.pages) >= 3 for w in walks), {w.person: len(w.pages) for w in walks}
    assert all(page.tree.xpath("/html/@lang") == ["cy"] for w in walks for page in w.pages), (
        "<html lang> follows the language chosen"
    )


def test_no_page_shows_english_in_welsh(welsh_walks):
    walks, typed = welsh_walks
    msgids, typed_set = english_msgids(), set(typed)
    found: dict[str, list[str]] = {}
    for walked in walks:
        answers = [answer for _origin, _method, answer in walked.answers]
        for page in walked.pages + answers:
            if shown := english_on(page.tree, msgids, typed, typed_set):
                found.setdefault(re.sub(r"[0-9a-f-]{36}|\d+", "{}", page.url), shown)
    assert found == {}, "\n".join(f"{url}: {shown}" for url, shown in sorted(found.items()))
