"""The compliance report's sections 1–4 computed from the partnership records (issue 21):
a table of records and the figures each must give, on the page and in the export alike.
The free-text entries stay beside the figures; the PDF's contents lists real titles."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from partnership.models import (
    Action,
    Agreement,
    Board,
    BoardMember,
    CtlpBriefing,
    Disclosure,
    Meeting,
    Plan,
    Risk,
    RiskAssessment,
    TermsOfReference,
)
from prevent_cms.pdf import render_pdf
from reports.compliance import compliance_report
from reports.models import ComplianceEntry
from reports.periods import financial_year_containing


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def _records(world, lead):
    """Northbridge's records, each made straight in the database (the services are tested in
    tests/partnership): the figures count rows, not how they came."""
    today = timezone.localdate()
    now = timezone.now()
    day = datetime.timedelta(days=1)
    board = Board.objects.create(name="Northbridge board", quorum=2, created_by=lead)
    board.local_authorities.set([world.la_a])
    other = Board.objects.create(name="Southmere board", quorum=2, created_by=lead)
    other.local_authorities.set([world.la_b])
    for name, agency in (("A", world.council_a), ("B", world.police_a), ("C", world.police_a)):
        BoardMember.objects.create(board=board, name=name, agency=agency)
    BoardMember.objects.create(board=board, name="D", organisation_name="Mosque committee")
    BoardMember.objects.create(board=board, name="Gone", agency=world.health_a, left_on=today - day)
    TermsOfReference.objects.create(
        board=board,
        version=2,
        approved_on=datetime.date(2026, 1, 15),
        file="x",
        original_name="t.pdf",
        content_type="application/pdf",
        size=1,
        uploaded_by=lead,
    )
    signed = Meeting.objects.create(
        board=board, date=today, location="Hall", held_at=now, quorum_met=True, signed_off_at=now
    )
    Meeting.objects.create(board=board, date=today, location="Hall", held_at=now, quorum_met=False)
    Meeting.objects.create(board=board, date=today, location="Hall")
    Meeting.objects.create(board=other, date=today, location="Hall", held_at=now, quorum_met=True)

    def action(rag, *, meeting=None, plan=None, due=today + day, done=None, la=world.la_a):
        return Action.objects.create(
            local_authority=la,
            board=meeting.board if meeting else None,
            meeting=meeting,
            plan=plan,
            description=f"{rag} action",
            owner="Owner",
            due_date=due,
            rag=rag,
            completed_on=done,
            created_by=lead,
        )

    action("red", meeting=signed)
    action("red", meeting=signed, due=today - day)
    action("green", meeting=signed, done=today)
    assessment = RiskAssessment.objects.create(
        local_authority=world.la_a,
        version=3,
        assessed_on=today - 10 * day,
        review_by=today - day,
        summary="S",
        created_by=lead,
    )
    online = Risk.objects.create(assessment=assessment, title="Online", level="high", rank=1)
    Risk.objects.create(assessment=assessment, title="Venues", level="low", rank=2)
    CtlpBriefing.objects.create(
        local_authority=world.la_a,
        title="CTLP",
        received_on=today,
        file="y",
        content_type="application/pdf",
        size=1,
        uploaded_by=lead,
    )
    plan = Plan.objects.create(
        local_authority=world.la_a,
        title="Plan",
        starts_on=today - day,
        ends_on=today + 300 * day,
        created_by=lead,
    )
    action("amber", plan=plan).risks.set([online])
    action("amber", plan=plan, due=today - day)
    action("green", plan=plan, done=today)
    action(
        "red",
        plan=Plan.objects.create(
            local_authority=world.la_b,
            title="B",
            starts_on=today,
            ends_on=today + day,
            created_by=lead,
        ),
        la=world.la_b,
    )

    def agreement(title, **kw):
        values = {
            "local_authority": world.la_a,
            "title": title,
            "purpose": "P",
            "lawful_basis": "public_task",
            "starts_on": today - 30 * day,
            "review_on": today + 300 * day,
            "created_by": lead,
            **kw,
        }
        return Agreement.objects.create(**values)

    channel = agreement("Channel sharing")
    agreement("Due now", review_on=today)
    agreement("Ended", ends_on=today - day, status="ended")
    for n, (agency, deal) in enumerate(
        [
            (world.health_a, channel),
            (world.health_a, channel),
            (world.police_a, channel),
            (world.school_a, None),
        ]
    ):
        Disclosure.objects.create(
            local_authority=world.la_a,
            kind="panel_pack",
            agreement=deal,
            recipient_agency=agency,
            source_id=f"pack-{n}",
            case_count=2,
            recorded_by=lead,
        )
    ComplianceEntry.objects.create(
        local_authority=world.la_a,
        section="partnership_group",
        date=today,
        title="Board commentary kept",
        created_by=lead,
    )


EXPECTED = [
    ("partnership_group", "Partnership boards", "Northbridge board"),
    ("partnership_group", "Board members today", "4"),
    ("partnership_group", "Agencies represented on the boards", "3"),
    ("partnership_group", "Board meetings in the period", "3"),
    ("partnership_group", "Board meetings held", "2"),
    ("partnership_group", "Board meetings held and quorate", "1"),
    ("partnership_group", "Board meetings with minutes signed off", "1"),
    (
        "partnership_group",
        "Terms of reference in force: Northbridge board",
        "version 2, approved 15 January 2026",
    ),
    ("partnership_group", "Board actions open: Red", "2"),
    ("partnership_group", "Board actions open: Amber", "0"),
    ("partnership_group", "Board actions open: Green", "0"),
    ("partnership_group", "Board actions open and overdue", "1"),
    ("risk_assessment", "Risk assessment current", "no: review overdue"),
    ("risk_assessment", "Priorities in the risk assessment", "2"),
    ("risk_assessment", "Priorities answered by a plan action", "1"),
    ("risk_assessment", "CTLP briefings received in the period", "1"),
    ("partnership_plan", "Plan actions open: Red", "0"),
    ("partnership_plan", "Plan actions open: Amber", "2"),
    ("partnership_plan", "Plan actions open: Green", "0"),
    ("partnership_plan", "Plan actions open and overdue", "1"),
    ("partnership_plan", "Plan actions completed in the period", "1"),
    ("partnership_plan", "Plan actions answering a risk", "1"),
    ("referral_pathway", "Data-sharing agreements current", "2"),
    ("referral_pathway", "Data-sharing agreements due for review", "1"),
    ("referral_pathway", "Disclosures of case data in the period", "4"),
    ("referral_pathway", "Disclosures under: Channel sharing", "3"),
    ("referral_pathway", "Disclosures with no agreement", "1"),
]


@pytest.mark.parametrize(("section", "label", "value"), EXPECTED, ids=[e[1] for e in EXPECTED])
def test_the_report_figures_match_the_records(world, lead, section, label, value):
    _records(world, lead)
    period = financial_year_containing(timezone.localdate())
    report = compliance_report(user=lead, local_authority=world.la_a, period=period)
    figures = {s["code"]: dict(s["figures"]) for s in report["sections"]}
    assert figures[section][label] == value


def test_the_page_shows_the_same_figures_with_the_commentary_beside_them(world, lead, client):
    _records(world, lead)
    client.force_login(lead)
    page = client.get("/reports/compliance/").content.decode()
    for _section, label, _value in EXPECTED:
        assert label in page, label
    assert "Board commentary kept" in page
    assert "Plan actions open: Amber" in page
    # The plan's actions are listed with their RAG labels.
    assert "amber action" in page
    assert "Amber" in page


def test_the_export_lists_the_plan_actions_with_rag_labels(world, lead):
    _records(world, lead)
    period = financial_year_containing(timezone.localdate())
    report = compliance_report(user=lead, local_authority=world.la_a, period=period)
    plan = next(s for s in report["sections"] if s["code"] == "partnership_plan")
    assert sorted(row[3] for row in plan["actions"]) == ["Amber", "Amber", "Green"]
    group = next(s for s in report["sections"] if s["code"] == "partnership_group")
    assert group["entries"][0][1] == "Board commentary kept"


def test_the_pdf_contents_lists_each_section_title_with_its_page(world, lead):
    period = financial_year_containing(timezone.localdate())
    report = compliance_report(user=lead, local_authority=world.la_a, period=period)
    pdf = render_pdf("reports/compliance_pdf.html", {"report": report})
    first = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    lines = [line.strip() for line in first.splitlines()]
    contents = lines[lines.index("Contents") + 1 :]
    for section in report["sections"]:
        assert any(line.startswith(section["label"]) and line[-1].isdigit() for line in contents)
    # No numbered line without its title (the old numbered list printed bare "1." lines).
    assert not [line for line in contents if line.rstrip(".").isdigit()]
