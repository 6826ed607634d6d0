"""The chair runs a whole panel from its agenda (issue 16): adopt one case, do not adopt and
signpost another, defer a third with a dissent; the agenda shows each case's new state, the
case page its panel history, the minutes and the next panel's pack the dissent. Axe clean."""

import datetime
import importlib

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from channel.pdf import pack_context
from channel.reference_data import ensure_vaf
from channel.services.agenda import panel_add_case
from channel.services.panels import panel_create
from referrals.models import Referral
from tests.browser.test_channel_journey import _case_for_a_15_year_old
from tests.channel import factories as cf

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")


def _decide(page, journey, reference, decision, reached_by, rationale, *, label, **extra):
    page.get_by_role("link", name=f"Record discussion and actions {reference}").click()
    page.get_by_label(decision, exact=True).check()
    page.get_by_label(reached_by, exact=True).check()
    page.get_by_label("Why the panel decided this (for a deferral: why it waits)").fill(rationale)
    if "signposted_to" in extra:
        page.get_by_label("If not adopted: the service the person was signposted to").select_option(
            extra["signposted_to"]
        )
    if "dissent" in extra:
        agency, reason = extra["dissent"]
        page.get_by_label("Agency that disagreed (1)").select_option(agency)
        page.get_by_label("Its reason (1)").fill(reason)
    journey.check(label)
    page.get_by_role("button", name="Record the decision").click()


def test_the_chair_runs_a_whole_panel_from_the_agenda(journey, transactional_db):
    ensure_vaf()
    _CONCERNS.load(apps, None)
    people = seed_people()
    team = cf.Team(
        chair=people["chair-a"],
        officer=people["officer-a"],
        member=people["panel-member-a"],
        provider=people["provider-a"],
    )
    adopted, signposted, deferred = (_case_for_a_15_year_old(people) for _ in range(3))
    cf.assess(team, adopted)
    panel = panel_create(
        actor=team.chair,
        date=timezone.localdate(),
        location="Civic Centre, room 1",
        member_ids=[team.officer.pk, team.member.pk],
    )
    for referral in (adopted, signposted, deferred):
        panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    page = journey.page
    journey.sign_in("chair-a", DEMO_PASSWORD)
    page.goto(f"{journey.url}/channel/panels/{panel.pk}/")

    # The meeting: who attended (quorate), then each item's decision.
    page.get_by_label(team.chair.display_name, exact=False).check()
    page.get_by_label(team.officer.display_name, exact=False).check()
    page.get_by_role("button", name="Mark panel as held").click()
    expect(page.get_by_text("Panel marked as held")).to_be_visible()

    # Not adopted without the signposting the law asks for: the item says what is missing.
    _decide(
        page,
        journey,
        signposted.reference,
        "Do not adopt, and signpost",
        "By consensus",
        "No vulnerability to radicalisation.",
        label="item-decision-form",
    )
    expect(
        page.get_by_text("Select the service the person was signposted to").first
    ).to_be_visible()
    journey.check("item-decision-errors")
    page.get_by_label("If not adopted: the service the person was signposted to").select_option(
        "mental_health"
    )
    page.get_by_label("Why the panel decided this (for a deferral: why it waits)").fill(
        "No vulnerability to radicalisation."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Decision recorded for {signposted.reference}")).to_be_visible()

    _decide(
        page,
        journey,
        adopted.reference,
        "Adopt as a Channel case",
        "By consensus",
        "Vulnerability is clear; mentoring proportionate.",
        label="item-adopt",
    )
    expect(page.get_by_text(f"Decision recorded for {adopted.reference}")).to_be_visible()
    expect(page.get_by_text("The case is now “Awaiting consent”")).to_be_visible()

    police = team.officer.agency.name
    _decide(
        page,
        journey,
        deferred.reference,
        "Defer to the next panel",
        "By majority",
        "The school's report is not in yet.",
        label="item-defer",
        dissent=(police, "Wants a decision today."),
    )
    expect(page.get_by_text(f"Decision recorded for {deferred.reference}")).to_be_visible()

    # The agenda shows each case's state and decision; the minutes the dissent.
    agenda = page.get_by_role("table", name="Agenda")
    for reference, state, decision in (
        (adopted.reference, "Awaiting consent", "Adopt as a Channel case"),
        (signposted.reference, "Closed", "Do not adopt, and signpost"),
        (deferred.reference, "Channel panel", "Defer to the next panel"),
    ):
        row = agenda.get_by_role("row").filter(has_text=reference)
        expect(row).to_contain_text(state)
        expect(row).to_contain_text(decision)
    expect(page.get_by_text("Wants a decision today.")).to_be_visible()
    journey.check("panel-after-decisions")
    states = dict(
        Referral.objects.filter(pk__in=[adopted.pk, signposted.pk, deferred.pk]).values_list(
            "pk", "state"
        )
    )
    assert states == {
        adopted.pk: "awaiting_consent",
        signposted.pk: "closed",
        deferred.pk: "channel_panel",
    }

    # Each case's panel history.
    for referral, text in (
        (adopted, "Adopt as a Channel case"),
        (deferred, "Defer to the next panel"),
    ):
        page.goto(f"{journey.url}/channel/cases/{referral.pk}/")
        history = page.locator("#panel-history ~ .govuk-summary-card").first
        expect(history).to_contain_text(text)
        expect(history).to_contain_text(team.officer.display_name)
    expect(page.locator("#panel-history ~ .govuk-summary-card").first).to_contain_text(
        "Wants a decision today."
    )
    journey.check("case-panel-history")

    # The next panel is offered the deferred case; its pack carries the dissent.
    following = panel_create(
        actor=team.chair,
        date=timezone.localdate() + datetime.timedelta(days=28),
        location="Civic Centre, room 1",
        member_ids=[team.officer.pk],
    )
    page.goto(f"{journey.url}/channel/panels/{following.pk}/")
    suggested = page.get_by_role("table", name="Suggested for this panel")
    expect(suggested.get_by_role("row").filter(has_text=deferred.reference)).to_contain_text(
        "Deferred by the panel on"
    )
    page.get_by_role("button", name=f"Add to agenda {deferred.reference}").click()
    expect(page.get_by_text("Case added to the agenda")).to_be_visible()
    pack = render_to_string(
        "channel/pack.html", pack_context(following, team.chair, timezone.localdate())
    )
    assert "Wants a decision today." in pack
