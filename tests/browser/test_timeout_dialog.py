"""The session-timeout warning is a real modal, driven by the keyboard alone (issue 24).

Half-way through a referral the warning opens; Tab and Shift+Tab stay inside it, the page
behind is inert, Escape means "stay signed in" and focus goes back to the field being typed in.
"""

from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import User
from tests.referrals.factories import DraftFactory

DIALOG = "#timeout-warning [role=alertdialog]"


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_timeout_warning_keeps_focus_and_gives_it_back(journey, transactional_db, settings):
    # The warning opens two seconds after the page loads instead of after 13 minutes.
    settings.SESSION_WARNING_BEFORE = settings.SESSION_IDLE_TIMEOUT - 2
    seed_people()
    draft = DraftFactory(referrer=User.objects.get(username="referrer-a"))
    page = journey.page
    journey.sign_in("referrer-a", DEMO_PASSWORD)
    page.goto(f"{journey.url}/referrals/{draft.pk}/section/person/")

    first_name = page.get_by_label("First name")
    first_name.fill("")
    first_name.focus()
    page.keyboard.type("Jo")
    expect(page.locator(DIALOG)).to_be_visible(timeout=10_000)
    assert _focused_id(page) != "id_first_name"
    journey.check("timeout-warning-open")
    # The page behind cannot be reached, clicked or read while the dialog is open.
    assert page.evaluate("document.getElementById('main-content').closest('[inert]') !== null")
    assert page.evaluate("document.getElementById('timeout-warning').closest('[inert]') === null")

    inside = {"timeout-stay", "timeout-sign-out-button"}
    seen = []
    for _ in range(5):
        page.keyboard.press("Tab")
        seen.append(_focused_id(page))
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        seen.append(_focused_id(page))
    assert set(seen) == inside, seen
    # Tab and Shift+Tab go round in opposite directions.
    assert seen[:2] == ["timeout-stay", "timeout-sign-out-button"]
    assert seen[5] != seen[4]

    page.keyboard.press("Escape")
    expect(page.locator("#timeout-warning")).to_be_hidden()
    assert _focused_id(page) == first_name.get_attribute("id")
    assert page.evaluate("document.querySelector('[inert]') === null")
    # Still signed in, typing goes on where it stopped.
    page.keyboard.type("rdan")
    expect(first_name).to_have_value("Jordan")
