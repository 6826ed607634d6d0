"""The chair's newer Channel pages pass axe-core and the CSP, with and without errors."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from channel.reference_data import ensure_vaf
from channel.services.panels import panel_create
from tests.browser.test_channel_journey import _case_for_a_15_year_old
from tests.channel import factories as cf

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")


def test_chair_minutes_a_case_and_manages_a_panel(journey, transactional_db):
    ensure_vaf()
    _CONCERNS.load(apps, None)
    people = seed_people()
    team = cf.Team(
        chair=people["chair-a"],
        officer=people["officer-a"],
        member=people["panel-member-a"],
        provider=people["provider-a"],
    )
    in_support = _case_for_a_15_year_old(people)
    cf.assess(team, in_support)
    cf.held_panel(None, team, in_support)
    cf._run(team, in_support, "adopt", rationale="Support needed.")
    cf.consent(team, in_support, how_sought="Home visit with the school's safeguarding lead.")
    cf._run(team, in_support, "consent_given")
    waiting = _case_for_a_15_year_old(people)
    panel = panel_create(
        actor=team.chair,
        date=timezone.localdate() + datetime.timedelta(days=7),
        location="Civic Centre, room 1",
        member_ids=[team.officer.pk],
    )
    page = journey.page
    journey.sign_in("chair-a", DEMO_PASSWORD)

    page.goto(f"{journey.url}/channel/panels/{panel.pk}/")
    expect(page.get_by_role("heading", name="Suggested for this panel")).to_be_visible()
    journey.check("suggested")
    page.get_by_role("button", name=f"Add to agenda {waiting.reference}").click()
    expect(page.get_by_text("Case added to the agenda")).to_be_visible()

    page.get_by_role("link", name=f"Record discussion and actions {waiting.reference}").click()
    page.get_by_label("Action agreed").fill("Arrange a mentor")
    page.get_by_role("button", name="Save discussion").click()
    expect(page.get_by_text("Record what the panel discussed").first).to_be_visible()
    journey.check("discussion-errors")
    page.get_by_label("What the panel discussed").fill("School reports better attendance.")
    page.get_by_label("Who owns the action").select_option(str(team.officer.pk))
    journey.fill_date("When the action is due", timezone.localdate() + datetime.timedelta(days=14))
    page.get_by_role("button", name="Save discussion").click()
    expect(page.get_by_text("Discussion recorded")).to_be_visible()

    page.get_by_role("link", name="Change members").click()
    page.get_by_label("Priya Member", exact=False).check()
    journey.check("members")
    page.get_by_role("button", name="Save members").click()
    expect(page.get_by_text("Panel members updated")).to_be_visible()

    page.goto(f"{journey.url}/channel/cases/{in_support.pk}/support-plan/")
    expect(page.get_by_text("Home visit with the school")).to_be_visible()
    page.get_by_role("button", name="Save closing report").click()
    expect(page.get_by_text("Enter the closing report").first).to_be_visible()
    journey.check("support-plan-errors")
    page.get_by_label("Closing report").fill("Mentoring went well; risk reduced.")
    page.get_by_role("button", name="Save closing report").click()
    expect(page.get_by_text("Mentoring went well; risk reduced.")).to_be_visible()
    journey.check("case-with-closing-report")
