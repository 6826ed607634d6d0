"""A borough lead's partnership year (issue 21): sets up a board with members, holds a
meeting with minutes signed off and an action turned red, records the risk assessment,
uploads a CTLP briefing readable by two named people, registers a data-sharing agreement;
a panel pack then leaves under it; the ledger counts it and the compliance report (page and
PDF) shows figures from those records. axe-core on every page."""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import LocalAuthority, PoliceForce, Role, Sector
from channel.models import PanelPack
from channel.services.agenda import panel_add_case
from channel.services.packs import panel_pack_record_download, panel_pack_request
from channel.services.panels import panel_create
from partnership.models import Disclosure
from prevent_cms.pdf import render_pdf
from prevent_cms.registry import ensure_reference_data
from tests.conftest import World
from tests.factories import PASSWORD, AgencyFactory, UserFactory
from tests.referrals import factories as rf


def _world() -> World:
    force = PoliceForce.objects.create(name="Metropolitan Police Service")
    other = PoliceForce.objects.create(name="Thames Valley Police")
    la_a = LocalAuthority.objects.create(name="Northbridge", police_force=force)
    la_b = LocalAuthority.objects.create(name="Southmere", police_force=force)
    la_c = LocalAuthority.objects.create(name="Westford", police_force=other)

    def agency(la, sector, name):
        return AgencyFactory(local_authority=la, sector=sector, name=name)

    return World(
        force=force,
        other_force=other,
        la_a=la_a,
        la_b=la_b,
        la_c=la_c,
        school_a=agency(la_a, Sector.EDUCATION, "Northbridge Academy"),
        police_a=agency(la_a, Sector.POLICE, "Northbridge Police Prevent"),
        council_a=agency(la_a, Sector.LOCAL_AUTHORITY, "Northbridge Council"),
        health_a=agency(la_a, Sector.HEALTH, "Northbridge Health"),
        community_a=agency(la_a, Sector.COMMUNITY, "Northbridge Youth Network"),
        school_b=agency(la_b, Sector.EDUCATION, "Southmere School"),
        council_b=agency(la_b, Sector.LOCAL_AUTHORITY, "Southmere Council"),
        school_c=agency(la_c, Sector.EDUCATION, "Westford School"),
        police_c=agency(la_c, Sector.POLICE, "Westford Police Prevent"),
        council_c=agency(la_c, Sector.LOCAL_AUTHORITY, "Westford Council"),
    )


def _date(page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _download(journey, button: str) -> bytes:
    page = journey.page
    page.get_by_role("button", name=button).click()
    link = page.get_by_role("link", name="Download the file")
    link.wait_for(timeout=20000)
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.long
def test_borough_lead_partnership_year(journey, transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    ensure_reference_data()
    world = _world()
    UserFactory(username="lead", agency=world.council_a, roles=[Role.BOROUGH_LEAD])
    chair = UserFactory(
        agency=world.council_a, roles=[Role.CHANNEL_CHAIR], first_name="Cara", last_name="Chair"
    )
    officer = UserFactory(
        agency=world.police_a, roles=[Role.PREVENT_OFFICER], first_name="Olu", last_name="Officer"
    )
    member = UserFactory(agency=world.health_a, roles=[Role.PANEL_MEMBER])
    today = timezone.localdate()
    page = journey.page

    journey.sign_in("lead", PASSWORD)
    page.get_by_role("link", name="Partnership", exact=True).first.click()
    expect(page.get_by_role("heading", name="Partnership", exact=True)).to_be_visible()
    journey.check("partnership-home")

    # A board with members.
    page.get_by_role("link", name="Set up a board").click()
    page.get_by_label("Name of the board").fill("Northbridge Prevent Partnership Board")
    page.get_by_label("Quorum").fill("2")
    journey.check("board-form")
    page.get_by_role("button", name="Set up board").click()
    expect(
        page.get_by_role("heading", name="Northbridge Prevent Partnership Board")
    ).to_be_visible()
    for name, agency in (
        ("Dana Council", "Northbridge Council"),
        ("Pat Police", "Northbridge Police Prevent"),
    ):
        page.get_by_role("link", name="Add a member").click()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Agency").select_option(label=agency)
        page.get_by_role("button", name="Add member").click()
    journey.check("board")

    # A meeting today: attendance, minutes, an action turned red, minutes signed off.
    page.get_by_role("link", name="Schedule a meeting").click()
    _date(page, "Date of the meeting", today)
    page.get_by_label("Place or online link").fill("Civic Centre, room 4")
    page.get_by_label("Agenda").fill("1. Risk assessment\n2. Training offer")
    journey.check("meeting-form")
    page.get_by_role("button", name="Schedule meeting").click()
    page.get_by_role("link", name="Record attendance and minutes").click()
    page.get_by_label("Dana Council (Northbridge Council)").check()
    page.get_by_label("Pat Police (Northbridge Police Prevent)").check()
    page.get_by_label("Minutes").fill("The board agreed the partnership plan.")
    journey.check("attendance-form")
    page.get_by_role("button", name="Save attendance and minutes").click()
    expect(page.get_by_text("Quorate (2 members attended)")).to_be_visible()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill("Refresh venue-hire checks")
    page.get_by_label("Owner").fill("Head of Libraries")
    _date(page, "Due date", today)
    page.get_by_label("Amber").check()
    page.get_by_role("button", name="Add action").click()
    page.get_by_role("link", name="Change Refresh venue-hire checks").click()
    page.get_by_label("Red").check()
    journey.check("action-edit")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("cell", name="Red")).to_be_visible()
    page.get_by_role("link", name="Sign off the minutes").click()
    journey.check("sign-off")
    page.get_by_role("button", name="Sign off and lock the minutes").click()
    expect(page.get_by_text("Minutes signed off").first).to_be_visible()
    expect(page.get_by_role("link", name="Record attendance and minutes")).to_have_count(0)
    journey.check("meeting-signed-off")

    # The risk assessment and a CTLP briefing for two named people.
    page.get_by_role("link", name="Partnership", exact=True).first.click()
    page.get_by_role("link", name="Record the risk assessment").click()
    _date(page, "Date of the assessment", today)
    _date(page, "Review by", today.replace(year=today.year + 1))
    page.get_by_label("Summary").fill("Online radicalisation of young people is the main risk.")
    page.get_by_label("Priority 1", exact=True).fill("Online radicalisation of under-18s")
    page.get_by_label("Level of priority 1").select_option(label="High")
    journey.check("risk-assessment-form")
    page.get_by_role("button", name="Save risk assessment").click()
    expect(page.get_by_role("cell", name="Online radicalisation of under-18s")).to_be_visible()
    page.get_by_role("link", name="Partnership", exact=True).first.click()
    page.get_by_role("link", name="Upload a CTLP briefing").click()
    page.get_by_label("Title").fill("CTLP briefing, autumn")
    _date(page, "Date received", today)
    briefing = tmp_path / "ctlp.pdf"
    briefing.write_bytes(render_pdf(html="<p>CTLP</p>", static=False).content)
    page.get_by_label("Briefing (PDF)").set_input_files(str(briefing))
    page.get_by_label("Cara Chair (Northbridge Council)").check()
    page.get_by_label("Olu Officer (Northbridge Police Prevent)").check()
    journey.check("ctlp-form")
    page.get_by_role("button", name="Upload briefing").click()
    expect(page.get_by_text("Saved")).to_be_visible()
    # Not named, so not listed: the lead does not even see that it exists.
    expect(page.get_by_text("CTLP briefing, autumn")).to_have_count(0)

    # A data-sharing agreement with health.
    page.get_by_role("link", name="Data-sharing agreements").click()
    page.get_by_role("link", name="Register an agreement").click()
    page.get_by_label("Title").fill("Channel information sharing")
    page.get_by_label("Data-sharing agreement").check()
    page.get_by_label("Northbridge Health").check()
    page.get_by_label("Purpose of the sharing").fill("Case information for Channel panels.")
    page.get_by_label("Public task (UK GDPR article 6(1)(e))").check()
    _date(page, "Starts on", today)
    _date(page, "Review due on", today.replace(year=today.year + 1))
    journey.check("agreement-form")
    page.get_by_role("button", name="Register agreement").click()
    expect(page.get_by_role("heading", name="Channel information sharing")).to_be_visible()
    journey.check("agreements")

    # A panel pack leaves for the health member under the agreement (the pack's own door,
    # as every download runs it), twice: one disclosure in the ledger.
    referral = rf.channel_panel(world, officer=officer)
    panel = panel_create(
        actor=chair, date=today, location="Town Hall", member_ids=[officer.pk, member.pk]
    )
    panel_add_case(panel_id=panel.pk, actor=chair, referral_id=referral.pk)
    panel_pack_request(panel_id=panel.pk, actor=chair)
    copy = PanelPack.objects.get(panel=panel, recipient=member)
    for _ in range(2):
        panel_pack_record_download(pack=copy, actor=member, via="page")
    assert Disclosure.objects.get().agreement.title == "Channel information sharing"
    page.get_by_role("link", name="Disclosure ledger").click()
    ledger = page.get_by_role("table")
    expect(ledger.get_by_role("cell", name="Northbridge Health")).to_be_visible()
    expect(ledger.get_by_role("cell", name="Channel information sharing")).to_be_visible()
    journey.check("ledger")

    # The compliance report from those records.
    page.get_by_role("link", name="Compliance").first.click()
    figures = page.locator("[data-figures=partnership_group]")
    expect(figures).to_contain_text("Board meetings held and quorate")
    expect(figures).to_contain_text("Board actions open: Red")
    journey.check("compliance")
    pdf = _download(journey, "Export as PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Board meetings held and quorate: 1" in text
    assert "Board meetings with minutes signed off: 1" in text
    assert "Board actions open: Red: 1" in text
    assert "Risk assessment current: yes" in text
    assert "Data-sharing agreements current: 1" in text
    assert "Disclosures under: Channel information sharing: 1" in text
    assert "1. Multi-agency partnership group" in text
    journey.check("export-job")
