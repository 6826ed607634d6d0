"""The header is GOV.UK's service navigation with the account at the end (issue 19): for the
roles with the most sections (officers, chairs, borough leads) it stays on one row at 1280 px,
in English and in Welsh (whose words are longer), "Signed in as" sits on the links' line, and
signing out is the last thing in it; at 390 px the menu opens from its toggle with the same
order. axe-clean at both widths; screenshots kept."""

import copy
import importlib
import uuid

import pytest
from django.apps import apps

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from channel.reference_data import ensure_vaf
from persons.models import AreaTransfer
from prevent_cms.models import Notification
from referrals.choices import CHANNEL_STAGES, State
from referrals.models import Referral, Subject
from tests.browser.conftest import assert_accessible
from tests.walk import seed

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")

# Top and vertical middle of each item of the header's navigation, and what it says.
_GEOMETRY = """(selector) => {
  const items = [...document.querySelectorAll(selector)];
  return items.map((li) => {
    const box = (li.querySelector('a, button, span') || li).getBoundingClientRect();
    return {top: Math.round(li.getBoundingClientRect().top),
            middle: Math.round(box.top + box.height / 2),
            text: li.innerText.trim()};
  });
}"""


@pytest.fixture
def seeded(transactional_db):
    ensure_vaf()
    _CONCERNS.load(apps, None)
    seed()


# The account's items in each language: the first word of each, then how the first begins
# and what the last says.
_ACCOUNT = {
    "en": (["Signed", "Notifications", "Sign"], "Signed in as", "Sign out"),
    "cy": (["Wedi", "Hysbysiadau", "Allgofnodi"], "Wedi mewngofnodi fel", "Allgofnodi"),
}


_MENU = {"en": "Menu", "cy": "Dewislen"}


def _copies_of(case: Referral, how_many: int) -> list[Referral]:
    """``how_many`` more cases like ``case`` (each with a subject of its own), so that more
    transfers can wait than the demo has cases: two inserts, not a save per copy."""
    subjects, copies = [], []
    for number in range(how_many):
        subject = Subject.objects.get(pk=case.subject_id) if not subjects else subjects[0]
        subject = copy.copy(subject)
        subject.pk = uuid.uuid4()
        subject._state.adding = True
        subjects.append(subject)
        referral = copy.copy(case)
        referral.pk = uuid.uuid4()
        referral._state.adding = True
        referral.reference = f"PRV-2099-{number:06d}"  # unique, where random ones may meet
        referral.subject = subject
        copies.append(referral)
    Subject.objects.bulk_create(subjects)
    return Referral.objects.bulk_create(copies)


def _transfers_waiting_for(username: str, at_least: int = 12) -> int:
    """Transfers addressed to the person's force (an officer) or local authority (a chair),
    so the navigation's widest item carries its count, as on a busy day (or a very busy one:
    ``at_least=100`` gives a three-digit count)."""
    user = User.objects.get(username=username)
    channel = [str(state) for state in CHANNEL_STAGES]
    if user.has_role(Role.CHANNEL_CHAIR):
        cases = Referral.objects.filter(state__in=channel)
    else:
        cases = Referral.objects.exclude(state__in=[*channel, State.DRAFT, State.CLOSED])
    target = user.agency.local_authority
    cases = list(cases.exclude(local_authority=target)[:at_least])
    assert cases, "the demo has no case to transfer"
    if len(cases) < at_least:
        cases += _copies_of(cases[0], at_least - len(cases))
    AreaTransfer.objects.bulk_create(
        AreaTransfer(
            referral=case,
            state_at_request=case.state,
            from_local_authority_id=case.local_authority_id,
            from_police_force_id=case.police_force_id,
            to_local_authority=target,
            to_police_force_id=target.police_force_id,
            reason="Moved house.",
            requested_by=user,
        )
        for case in cases
    )
    return len(cases)


def _unread_notifications_for(username: str, how_many: int) -> None:
    user = User.objects.get(username=username)
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="receipt", subject="PRV-0", key=f"many:{number}")
        for number in range(how_many)
    )


# Each test checks its person in English, then in Welsh, on one seeded demo (seeding it is
# most of a test's time).
LANGUAGES = ("en", "cy")


@pytest.mark.parametrize("username", ["officer-a", "chair-a", "borough-lead-a"])
def test_navigation_is_one_row_with_the_account_last_at_1280(journey, seeded, username):
    waiting = _waiting(username, at_least=12)
    for language in LANGUAGES:
        _one_row_with_the_account_last(journey, username, language, waiting, shown="12")


@pytest.mark.parametrize("username", ["officer-a", "chair-a", "borough-lead-a"])
def test_navigation_is_one_row_with_three_digit_counts(journey, seeded, username):
    """On a very busy day (over a hundred transfers waiting, as many unread notifications) the
    counts show as "99+", as GOV.UK services show theirs, and the row holds."""
    _unread_notifications_for(username, 120)
    waiting = _waiting(username, at_least=120)
    for language in LANGUAGES:
        _one_row_with_the_account_last(journey, username, language, waiting, shown="99+")
        unread = journey.page.locator("[data-unread]")
        assert int(unread.get_attribute("data-unread")) >= 120  # the exact count, for scripts
        assert unread.inner_text().startswith("99+")


def _waiting(username: str, at_least: int) -> int:
    """Transfers waiting for the person (a borough lead has none to act on)."""
    if username == "borough-lead-a":
        return 0
    waiting = _transfers_waiting_for(username, at_least)
    assert waiting >= at_least
    return waiting


def _one_row_with_the_account_last(journey, username, language, waiting, *, shown):
    page = journey.page
    page.context.clear_cookies()  # signed out, and the sign-in page in English again
    page.set_viewport_size({"width": 1280, "height": 900})
    User.objects.filter(username=username).update(language=language)  # their own choice
    journey.sign_in(username, DEMO_PASSWORD)
    page.wait_for_selector("#navigation > li")  # home, once signed in
    assert page.locator("html").get_attribute("lang") == language
    sections = page.evaluate(_GEOMETRY, "#navigation > li")
    assert len(sections) >= 3
    if waiting:
        # The count shows ("12", then " waiting" for screen readers only).
        assert any(f" {shown}\n" in item["text"] for item in sections), sections
    assert {item["top"] for item in sections} == {sections[0]["top"]}, sections
    everything = page.evaluate(_GEOMETRY, ".govuk-service-navigation__wrapper li")
    account = everything[len(sections) :]
    first_words, signed_in, sign_out = _ACCOUNT[language]
    assert [item["text"].split(" ")[0] for item in account] == first_words
    assert account[0]["text"].startswith(signed_in)
    assert account[-1]["text"] == sign_out
    # "Signed in as", the notifications and signing out share one line with the service name.
    name = page.locator(".govuk-service-navigation__service-name").bounding_box()
    middles = {item["middle"] for item in account} | {round(name["y"] + name["height"] / 2)}
    assert max(middles) - min(middles) <= 2, account
    assert {item["top"] for item in account} != {sections[0]["top"]}
    # The account, at the end of the service name's line, leaves the name room.
    account_left = page.locator(".app-account-navigation").bounding_box()["x"]
    assert name["x"] + name["width"] < account_left
    page.locator("header.govuk-template__header").screenshot(
        path=str(
            journey.screenshot(f"{username}-{language}-1280-{shown}").with_suffix(".header.png")
        )
    )
    assert_accessible(page, f"{username} {language} 1280")


@pytest.mark.parametrize("username", ["officer-a", "chair-a"])
def test_navigation_menu_at_390_ends_with_the_account(journey, seeded, username):
    for language in LANGUAGES:
        _menu_at_390_ends_with_the_account(journey, username, language)


def _menu_at_390_ends_with_the_account(journey, username, language):
    page = journey.page
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 900})
    User.objects.filter(username=username).update(language=language)
    journey.sign_in(username, DEMO_PASSWORD)
    menu = page.get_by_role("button", name=_MENU[language])
    assert menu.get_attribute("aria-expanded") == "false"
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    items = page.evaluate(_GEOMETRY, ".govuk-service-navigation__wrapper li")
    assert items[-1]["text"] == _ACCOUNT[language][2]
    tops = [item["top"] for item in items]
    assert tops == sorted(tops)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    journey.check(f"{username}-{language}-menu-390")
