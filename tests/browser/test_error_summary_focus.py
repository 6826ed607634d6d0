"""Following an error-summary link puts the cursor in its field, in a real browser (issue 19).

``tests/prevent_cms/test_page_walk.py`` sends every form of the walk blank and checks, in the
HTML, that each summary link names a focusable input. This is what a person gets when they
follow one: GOV.UK Frontend's error summary moves focus to the field the link names (WCAG
3.3.1). The forms are the three kinds of field whose links once went nowhere: the referral's
first question (text boxes, a GOV.UK date input and a radio group), a police assessment (the
deconfliction, concern type and screening radio groups, once linked to ids that did not exist)
and a new Channel panel (a date and a choice of members).
"""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from prevent_cms.registry import ensure_reference_data
from referrals.models import Referral
from tests.walk import seed

FOCUSED = "() => document.activeElement ? document.activeElement.id : ''"


def _follow_each_summary_link(page, label: str, at_least: int) -> int:
    links = page.locator(".govuk-error-summary__list a")
    expect(links.first).to_be_visible()
    count = links.count()
    assert count >= at_least, f"{label}: {count} summary links"
    for index in range(count):
        link = links.nth(index)
        target = (link.get_attribute("href") or "").partition("#")[2]
        words = link.text_content().strip()
        link.click()
        focused = page.evaluate(FOCUSED)
        assert target, f"{label}: '{words}' links nowhere"
        assert focused == target, f"{label}: '{words}' moved focus to '{focused}'"
        page.evaluate("window.scrollTo(0, 0)")
    return count


def _sign_in(journey, username: str) -> None:
    journey.page.context.clear_cookies()
    journey.sign_in(username, DEMO_PASSWORD)
    expect(journey.page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_every_error_summary_link_moves_focus_to_its_field(journey):
    ensure_reference_data()
    seed()
    page = journey.page
    followed = 0

    _sign_in(journey, "referrer-a")
    page.get_by_role("button", name="Start a referral").click()
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    journey.check("referral-person-errors")
    followed += _follow_each_summary_link(page, "the referral's first question", at_least=3)

    case = (
        Referral.objects.filter(
            state="police_assessment", assigned_officer__username="officer-a"
        ).first()
        or Referral.objects.filter(state="police_assessment").first()
    )
    assert case is not None, "the demo seeds a case in police assessment"
    _sign_in(journey, "officer-a")
    page.goto(f"{journey.url}/referrals/{case.pk}/assessment/")
    page.get_by_role("button", name="Save assessment").click()
    journey.check("assessment-errors")
    followed += _follow_each_summary_link(page, "the police assessment", at_least=3)

    _sign_in(journey, "chair-a")
    page.goto(f"{journey.url}/channel/panels/new/")
    page.get_by_role("button", name="Schedule panel").click()
    journey.check("panel-errors")
    followed += _follow_each_summary_link(page, "a new panel", at_least=1)
    assert followed >= 7
