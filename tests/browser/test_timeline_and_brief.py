"""The case's timeline and the provider's brief in a real browser, axe-core clean (issue 16)."""

import importlib

from django.apps import apps
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from channel.reference_data import ensure_vaf
from channel.services.interventions import intervention_session_record, intervention_set_brief
from referrals import services as referral_services
from tests.browser.test_channel_journey import _case_for_a_15_year_old
from tests.channel import factories as cf

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")


def test_chair_reads_and_filters_the_timeline_and_the_provider_reads_their_brief(
    journey, transactional_db
):
    ensure_vaf()
    _CONCERNS.load(apps, None)
    people = seed_people()
    team = cf.Team(
        chair=people["chair-a"],
        officer=people["officer-a"],
        member=people["panel-member-a"],
        provider=people["provider-a"],
    )
    case = _case_for_a_15_year_old(people)
    cf.assess(team, case)
    cf.held_panel(None, team, case)
    cf._run(team, case, "adopt", rationale="Support needed.")
    cf.consent(team, case)
    cf._run(team, case, "consent_given")
    referral_services.note_add(
        referral_id=case.pk, actor=team.officer, text="Attendance has improved.", kind="fact"
    )
    intervention = cf.intervention(team, case, hours=10)
    intervention_set_brief(
        intervention_id=intervention.pk,
        actor=team.chair,
        data={
            "contact_route": "Through the school's pastoral lead",
            "goals": "Build trust; explore alternative narratives.",
            "sessions_planned": 5,
        },
    )
    intervention_session_record(
        intervention_id=intervention.pk, actor=team.provider, date=cf.today(), hours=2
    )
    cf.review(team, case)
    page = journey.page

    journey.sign_in("chair-a", DEMO_PASSWORD)
    page.goto(f"{journey.url}/channel/cases/{case.pk}/")
    page.get_by_role("link", name="Timeline: everything recorded on this case").click()
    expect(page.get_by_role("heading", name="Timeline", exact=True)).to_be_visible()
    expect(page.get_by_text("Attendance has improved.")).to_be_visible()
    expect(page.get_by_text("Consent given").first).to_be_visible()
    journey.check("timeline-chair")
    page.get_by_label("Notes", exact=True).check()
    page.get_by_role("button", name="Apply filter").click()
    expect(page.get_by_role("heading", name="1 entry")).to_be_visible()
    expect(page.get_by_text("Attendance has improved.")).to_be_visible()
    expect(page.get_by_text("Consent given")).to_have_count(0)
    journey.check("timeline-filtered")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    journey.sign_out()

    journey.sign_in("provider-a", DEMO_PASSWORD)
    page.goto(f"{journey.url}/channel/interventions/")
    page.get_by_role("link", name=f"Brief {case.reference}").click()
    expect(page.get_by_role("heading", name="Your brief")).to_be_visible()
    expect(page.get_by_text(case.subject.full_name)).to_be_visible()
    expect(page.get_by_text("Through the school's pastoral lead")).to_be_visible()
    expect(page.get_by_text("1 held of 5 planned")).to_be_visible()
    expect(page.get_by_text("2.0 delivered of 10.0 agreed")).to_be_visible()
    expect(page.get_by_text("Attendance has improved.")).to_have_count(0)
    journey.check("provider-brief")
    page.get_by_role("link", name="Your entries on the timeline").click()
    expect(page.get_by_role("heading", name="2 entries")).to_be_visible()
    expect(page.get_by_text("Attendance has improved.")).to_have_count(0)
    journey.check("timeline-provider")
