"""The risk assessment (versioned, with priorities), CTLP briefings readable only by the
people named (watermarked per reader, every read and refusal audited) and the plan whose
actions answer the risks."""

import datetime
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Role
from partnership.models import RiskAssessment
from partnership.services import boards as board_services
from partnership.services import risk as services
from prevent_cms.errors import GuardFailed
from prevent_cms.models import AuditEvent
from prevent_cms.pdf import render_pdf

from .conftest import api


def _assessment(actor, *, title="Online radicalisation of under-18s"):
    today = timezone.localdate()
    return services.risk_assessment_create(
        actor=actor,
        assessed_on=today,
        review_by=today + datetime.timedelta(days=365),
        summary="Online radicalisation of young people is the main risk.",
        risks=[{"title": title, "level": "high"}, {"title": "Venue hire", "level": "medium"}],
    )


def _briefing_pdf() -> SimpleUploadedFile:
    content = render_pdf(html="<p>CTLP briefing body</p>", static=False).content
    return SimpleUploadedFile("ctlp.pdf", content, content_type="application/pdf")


def test_each_assessment_is_a_new_version_with_ranked_priorities(people):
    first = _assessment(people.lead)
    second = _assessment(people.lead, title="Far-right leafleting")
    assert (first.version, second.version) == (1, 2)
    assert [(r.rank, r.level) for r in second.risks.all()] == [(1, "high"), (2, "medium")]
    assert RiskAssessment.objects.filter(pk=first.pk).exists()  # the old version stays
    assert _assessment(people.lead_b).version == 1  # per local authority


def test_the_review_date_must_follow_the_assessment(people):
    today = timezone.localdate()
    with pytest.raises(GuardFailed) as refused:
        services.risk_assessment_create(
            actor=people.lead, assessed_on=today, review_by=today, summary="S", risks=[]
        )
    assert "must be after" in str(refused.value.errors["review_by"])
    assert "at least one priority" in str(refused.value.errors["risks"])


def test_a_plan_action_answers_risks_of_the_own_assessment_only(people):
    assessment = _assessment(people.lead)
    other = _assessment(people.lead_b)
    today = timezone.localdate()
    plan = services.plan_create(
        actor=people.lead,
        title="Plan",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=365),
    )
    data = {"description": "Online safety sessions", "owner": "Schools", "due_date": today}
    action = board_services.action_create(
        actor=people.lead,
        data=dict(data),
        plan_id=plan.pk,
        risk_ids=[assessment.risks.first().pk],
    )
    assert list(action.risks.all()) == [assessment.risks.first()]
    with pytest.raises(GuardFailed, match="risks of your local authority"):
        board_services.action_create(
            actor=people.lead, data=dict(data), plan_id=plan.pk, risk_ids=[other.risks.first().pk]
        )


@pytest.fixture
def ctlp(world, people):
    """A briefing naming the chair and the officer; the uploading borough lead is not named."""
    return services.ctlp_briefing_upload(
        actor=people.lead,
        title="CTLP autumn",
        received_on=timezone.localdate(),
        upload=_briefing_pdf(),
        reader_ids=[people.chair.pk, people.officer.pk],
    )


def test_a_named_reader_gets_a_copy_watermarked_with_their_name_and_the_read_is_audited(
    people, ctlp, client
):
    client.force_login(people.chair)
    response = client.get(f"/partnership/ctlp-briefings/{ctlp.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "OFFICIAL-SENSITIVE" in text
    assert people.chair.get_full_name() in text
    assert "CTLP briefing body" in text
    assert AuditEvent.objects.filter(
        action="partnership.ctlp.read", actor=people.chair, object_id=str(ctlp.pk)
    ).exists()


@pytest.mark.parametrize("who", ["lead", "lead_b"])
def test_a_ctlp_read_by_someone_not_named_is_404_and_audited_as_a_refusal(
    people, ctlp, client, who
):
    person = getattr(people, who)
    client.force_login(person)
    assert client.get(f"/partnership/ctlp-briefings/{ctlp.pk}/").status_code == 404
    response = api(person).get(f"/api/v1/partnership/ctlp-briefings/{ctlp.pk}/document/")
    assert response.status_code == 404
    assert b"CTLP autumn" not in response.content
    refusals = AuditEvent.objects.filter(
        action="partnership.ctlp.read_refused", actor=person, object_id=str(ctlp.pk)
    )
    assert sorted(e.detail["via"] for e in refusals) == ["api", "page"]
    assert not AuditEvent.objects.filter(action="partnership.ctlp.read", actor=person).exists()
    assert api(person).get("/api/v1/partnership/ctlp-briefings/").json()["count"] == 0


def test_a_ctlp_briefing_must_be_a_pdf_with_named_readers(people):
    text = SimpleUploadedFile("ctlp.txt", b"plain words", content_type="text/plain")
    with pytest.raises(GuardFailed, match="must be a PDF"):
        services.ctlp_briefing_upload(
            actor=people.lead,
            title="T",
            received_on=timezone.localdate(),
            upload=text,
            reader_ids=[people.chair.pk],
        )
    with pytest.raises(GuardFailed, match="at least one person"):
        services.ctlp_briefing_upload(
            actor=people.lead,
            title="T",
            received_on=timezone.localdate(),
            upload=_briefing_pdf(),
            reader_ids=[],
        )


def test_a_reader_from_another_force_cannot_be_named(world, people):
    stranger = world.user(Role.PREVENT_OFFICER, agency=world.police_c)
    with pytest.raises(GuardFailed, match="your local authority or its police force"):
        services.ctlp_briefing_upload(
            actor=people.lead,
            title="T",
            received_on=timezone.localdate(),
            upload=_briefing_pdf(),
            reader_ids=[stranger.pk],
        )


def test_the_api_records_an_assessment_and_another_borough_cannot_read_it(people):
    today = timezone.localdate()
    response = api(people.lead).post(
        "/api/v1/partnership/risk-assessments/",
        {
            "assessed_on": today.isoformat(),
            "review_by": (today + datetime.timedelta(days=300)).isoformat(),
            "summary": "Summary.",
            "risks": [{"title": "Online", "level": "high"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["risks"][0]["level_label"] == "High"
    assert api(people.lead_b).get(response["Location"]).status_code == 404
    assert api(people.lead).get(response["Location"]).status_code == 200


def test_a_welsh_speaking_reader_gets_the_watermark_in_welsh(people, ctlp, client):
    """Issue 19: the stamp is worded in the reader's language, the date with it."""
    people.chair.language = "cy"
    people.chair.save(update_fields=["language"])
    client.force_login(people.chair)
    response = client.get(f"/partnership/ctlp-briefings/{ctlp.pk}/")
    text = " ".join(pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    with translation.override("cy"):
        month = date_format(timezone.localdate(), "F Y")
    assert "peidiwch â’i gopïo na’i anfon ymlaen" in text
    assert month in text
    assert "do not copy or forward" not in text
