"""The header is GOV.UK's service navigation with the account at the end (issue 19): for the
roles with the most sections (officers, chairs) it stays on one row at 1280 px, "Signed in as"
sits on the links' line, and signing out is the last thing in it; at 390 px the menu opens
from its toggle with the same order. axe-clean at both widths; screenshots kept."""

import importlib

import pytest
from django.apps import apps

from accounts.demo import DEMO_PASSWORD
from channel.reference_data import ensure_vaf
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


@pytest.mark.parametrize("username", ["officer-a", "chair-a", "borough-lead-a"])
def test_navigation_is_one_row_with_the_account_last_at_1280(journey, seeded, username):
    page = journey.page
    page.set_viewport_size({"width": 1280, "height": 900})
    journey.sign_in(username, DEMO_PASSWORD)
    sections = page.evaluate(_GEOMETRY, "#navigation > li")
    assert len(sections) >= 3
    assert {item["top"] for item in sections} == {sections[0]["top"]}, sections
    everything = page.evaluate(_GEOMETRY, ".govuk-service-navigation__wrapper li")
    account = everything[len(sections) :]
    assert [item["text"].split(" ")[0] for item in account] == [
        "Signed",
        "Notifications",
        "Sign",
    ]
    assert account[0]["text"].startswith("Signed in as")
    assert account[-1]["text"] == "Sign out"
    # "Signed in as", the notifications and signing out share one line with the service name.
    name = page.locator(".govuk-service-navigation__service-name").bounding_box()
    middles = {item["middle"] for item in account} | {round(name["y"] + name["height"] / 2)}
    assert max(middles) - min(middles) <= 2, account
    assert {item["top"] for item in account} != {sections[0]["top"]}
    page.locator("header.govuk-template__header").screenshot(
        path=str(journey.screenshot(f"{username}-1280").with_suffix(".header.png"))
    )
    assert_accessible(page, f"{username} 1280")


@pytest.mark.parametrize("username", ["officer-a", "chair-a"])
def test_navigation_menu_at_390_ends_with_the_account(journey, seeded, username):
    page = journey.page
    page.set_viewport_size({"width": 390, "height": 900})
    journey.sign_in(username, DEMO_PASSWORD)
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    items = page.evaluate(_GEOMETRY, ".govuk-service-navigation__wrapper li")
    assert items[-1]["text"] == "Sign out"
    tops = [item["top"] for item in items]
    assert tops == sorted(tops)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    journey.check(f"{username}-menu-390")
