"""Every 201 of the API names the created record in ``Location`` (issue 23), and reading that
URL back answers the record, for its creator, in scope.

The operations are read from the live schema: a new operation answering 201 fails
``test_every_201_is_proven_here`` until it has a case below, and its schema must say
``Location`` too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import Role
from channel.services.panels import panel_create
from tests.channel import factories as cf
from tests.channel.conftest import reference_data  # noqa: F401  (a fixture)
from tests.channel.factories import channel_team
from tests.referrals import factories as rf

pytestmark = [pytest.mark.django_db]


@dataclass
class Create:
    client: APIClient | Client
    path: str
    data: dict = field(default_factory=dict)
    format: str = "json"
    id_key: str | None = "id"  # the body's field naming the record the Location reads back
    # A record without a URL of its own (a board's member or terms): the list, in the record
    # the Location reads back, that holds it.
    within: str | None = None
    outsider: object = None  # who must get 404 there; a referrer of another school if None


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _panel(world, team, referral=None):
    panel = panel_create(
        actor=team.chair,
        date=cf.today(),
        location="Civic Centre",
        member_ids=[team.officer.pk, team.member.pk],
    )
    if referral is not None:
        from channel.services.agenda import panel_add_case

        panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    return panel


def _referral(world, team):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    form = rf.complete_form()
    form["subject"]["date_of_birth"] = form["subject"]["date_of_birth"].isoformat()
    return Create(_as(referrer), "/api/v1/referrals/", form)


def _police_assessment(world, team):
    referral = cf.direct(rf.InPoliceAssessmentFactory, world, team)
    data = {
        "deconfliction": "cleared",
        "concern_type": "extreme_right_wing",
        "screening": "clear_vulnerability",
        "vulnerabilities": ["Isolation"],
        "risk_summary": "Persistent interest in extremist material.",
    }
    return Create(_as(team.officer), f"/api/v1/referrals/{referral.pk}/assessment/", data)


def _note(world, team):
    referral = cf.direct(rf.InPoliceAssessmentFactory, world, team)
    data = {"kind": "fact", "text": "School confirmed attendance has dropped."}
    return Create(_as(team.officer), f"/api/v1/referrals/{referral.pk}/notes/", data)


def _attachment(world, team):
    referral = cf.direct(rf.InPoliceAssessmentFactory, world, team)
    upload = SimpleUploadedFile("r.txt", b"Attendance fell.", content_type="text/plain")
    path = f"/api/v1/referrals/{referral.pk}/attachments/"
    return Create(_as(team.officer), path, {"file": upload}, format="multipart")


def _break_glass(world, team):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    other_chair = world.user(Role.CHANNEL_CHAIR, agency=world.council_b)
    data = {"reference": referral.reference, "reason": "Out-of-hours call from A&E."}
    return Create(_as(other_chair), "/api/v1/referrals/break-glass/", data, id_key="referral")


def _token(world, team):
    client = Client()
    client.force_login(team.officer)
    return Create(client, "/api/v1/auth/token/", id_key=None)


def _panel_create(world, team):
    data = {"date": cf.today().isoformat(), "location": "Civic Centre", "members": []}
    return Create(_as(team.chair), "/api/v1/channel/panels/", data)


def _agenda_item(world, team):
    referral, panel = cf.direct(rf.ChannelPanelFactory, world, team), _panel(world, team)
    path = f"/api/v1/channel/panels/{panel.pk}/agenda/"
    return Create(_as(team.chair), path, {"referral": str(referral.pk)})


def _action(world, team):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = _panel(world, team, referral)
    data = {
        "description": "Ask the school for attendance.",
        "owner": str(team.member.pk),
        "due_date": cf.today().isoformat(),
        "referral": str(referral.pk),
    }
    return Create(_as(team.chair), f"/api/v1/channel/panels/{panel.pk}/actions/", data)


def _agency_update(world, team):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = _panel(world, team, referral)
    data = {"referral": str(referral.pk), "text": "Health: attending appointments."}
    return Create(_as(team.member), f"/api/v1/channel/panels/{panel.pk}/agency-updates/", data)


def _session(world, team):
    intervention = cf.intervention(team, cf.direct(cf.SupportFactory, world, team))
    data = {"date": cf.today().isoformat(), "hours": "2", "notes": "Talked about college."}
    path = f"/api/v1/channel/interventions/{intervention.pk}/sessions/"
    return Create(_as(team.provider), path, data)


def _vulnerability_assessment(world, team):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    data = {
        "framework": "vaf_2012",
        "ratings": cf.full_ratings(),
        "summary": "Summary.",
        "management_plan": "Plan.",
    }
    path = f"/api/v1/referrals/{referral.pk}/vulnerability-assessments/"
    return Create(_as(team.chair), path, data)


def _consent(world, team):
    referral = cf.direct(cf.AwaitingConsentFactory, world, team)
    referral.refresh_from_db()
    adult = referral.subject.age_on(cf.today()) >= 18
    data = {
        "given_by": "individual" if adult else "parent_or_guardian",
        "given_by_name": "" if adult else "Sam Parent",
        "relationship": "" if adult else "Mother",
        "date": cf.today().isoformat(),
        "decision": "given",
        "child_view": "Happy to meet a mentor.",
    }
    return Create(_as(team.chair), f"/api/v1/referrals/{referral.pk}/consents/", data)


def _intervention(world, team):
    referral = cf.direct(cf.SupportFactory, world, team)
    data = {
        "type": "education",
        "provider": str(team.provider.pk),
        "start_date": cf.today().isoformat(),
        "hours": 10,
        "status": "active",
    }
    path = f"/api/v1/referrals/{referral.pk}/support-plan/interventions/"
    return Create(_as(team.chair), path, data)


def _review(world, team):
    referral = cf.direct(cf.SupportFactory, world, team)
    data = {
        "kind": "panel",
        "date": cf.today().isoformat(),
        "risk_change": "reduced",
        "recommend_exit": False,
        "notes": "Going well.",
    }
    return Create(_as(team.chair), f"/api/v1/referrals/{referral.pk}/reviews/", data)


def _training_record(world, team):
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    data = {
        "person_name": "Nia Rees",
        "email": "nia.rees@example.org",
        "course": "awareness",
        "completed_on": cf.today().isoformat(),
        "role": "safeguarding_lead",
        "frontline": True,
    }
    return Create(_as(lead), "/api/v1/training/records/", data)


def _consultation(world, team):
    data = {
        "local_authority": str(world.la_a.pk),
        "consulted_on": cf.today().isoformat(),
        "asker_name": "Alex Morgan",
        "asker_sector": "education",
        "summary": "Worrying drawings in an exercise book.",
        "advice": "Speak to the DSL; refer if it continues.",
        "outcome": "referral_advised",
    }
    return Create(_as(team.officer), "/api/v1/consultations/", data)


def _national_form_import(world, team):
    from tests.referrals.national_form import forms

    upload = SimpleUploadedFile(
        "form.docx",
        forms.build_docx(forms.COMPLETE),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    data = {"file": upload, "referrer_sector": "education"}
    return Create(_as(team.officer), "/api/v1/referrals/imports/", data, format="multipart")


def _addendum(world, team):
    referrer = rf.referrer_for(world)
    referral = rf.SubmittedFactory(referrer=referrer)
    path = f"/api/v1/referrals/{referral.pk}/addenda/"
    data = {"text": "He has since left the group chat."}
    return Create(_as(referrer), path, data, format="multipart")


def _update_request(world, team):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = _panel(world, team, referral)
    data = {"referral": str(referral.pk), "agency": str(team.member.agency_id)}
    path = f"/api/v1/channel/panels/{panel.pk}/update-requests/"
    return Create(_as(team.chair), path, data)


# --- Partnership records (issue 21): a borough lead's; another borough's lead gets 404 ------


def _lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def _partnership(world, path, data, format="json", lead=None, **more):
    lead_b = world.user(Role.BOROUGH_LEAD, agency=world.council_b)
    return Create(_as(lead or _lead(world)), path, data, format, outsider=lead_b, **more)


def _board(world):
    from partnership.services.boards import board_create

    return board_create(
        actor=_lead(world), name="Northbridge Board", kind="prevent_board", quorum=2
    )


def _partnership_board(world, team):
    data = {"name": "Northbridge Prevent Board", "kind": "prevent_board", "quorum": 3}
    return _partnership(world, "/api/v1/partnership/boards/", data)


def _partnership_member(world, team):
    path = f"/api/v1/partnership/boards/{_board(world).pk}/members/"
    data = {"name": "Head of Education", "agency": str(world.school_a.pk)}
    return _partnership(world, path, data, within="members")


def _partnership_terms(world, team):
    from tests.partnership.conftest import pdf_upload

    path = f"/api/v1/partnership/boards/{_board(world).pk}/terms/"
    data = {"file": pdf_upload(), "approved_on": cf.today().isoformat()}
    return _partnership(world, path, data, format="multipart", within="terms")


def _partnership_meeting(world, team):
    data = {"board": str(_board(world).pk), "date": cf.today().isoformat(), "location": "Hall"}
    return _partnership(world, "/api/v1/partnership/meetings/", data)


def _partnership_plan(world, team):
    today = cf.today()
    data = {
        "title": "Prevent delivery plan",
        "starts_on": today.isoformat(),
        "ends_on": today.replace(year=today.year + 1).isoformat(),
    }
    return _partnership(world, "/api/v1/partnership/plans/", data)


def _partnership_action(world, team):
    from partnership.services.risk import plan_create

    today = cf.today()
    plan = plan_create(
        actor=_lead(world),
        title="Plan",
        starts_on=today,
        ends_on=today.replace(year=today.year + 1),
    )
    data = {
        "description": "Refresh the venue list",
        "owner": "Libraries",
        "due_date": today.isoformat(),
        "plan": str(plan.pk),
    }
    return _partnership(world, "/api/v1/partnership/actions/", data)


def _partnership_risk_assessment(world, team):
    today = cf.today()
    data = {
        "assessed_on": today.isoformat(),
        "review_by": today.replace(year=today.year + 1).isoformat(),
        "summary": "Summary.",
        "risks": [{"title": "Online", "level": "high"}],
    }
    return _partnership(world, "/api/v1/partnership/risk-assessments/", data)


def _partnership_ctlp(world, team):
    from tests.partnership.test_risk import _briefing_pdf

    lead = _lead(world)  # the uploader names themselves a reader
    data = {
        "title": "CTLP 2026",
        "received_on": cf.today().isoformat(),
        "file": _briefing_pdf(),  # a real PDF: the copy served is watermarked
        "readers": [str(lead.pk)],
    }
    path = "/api/v1/partnership/ctlp-briefings/"
    return _partnership(world, path, data, format="multipart", lead=lead)


def _partnership_agreement(world, team):
    today = cf.today()
    data = {
        "title": "MASH sharing",
        "parties": [str(world.health_a.pk)],
        "purpose": "Copies of referrals of under-18s to the MASH",
        "lawful_basis": "public_task",
        "starts_on": today.isoformat(),
        "review_on": today.replace(year=today.year + 1).isoformat(),
    }
    return _partnership(world, "/api/v1/partnership/agreements/", data)


def _organisation(world):
    from partnership.services.organisations import organisation_create

    return organisation_create(
        actor=_lead(world),
        name="Northbridge Youth Trust",
        organisation_type="charity",
        engaged_on=cf.today(),
    )


def _partnership_organisation(world, team):
    data = {
        "name": "St Mark's Church",
        "organisation_type": "faith",
        "engaged_on": cf.today().isoformat(),
    }
    return _partnership(world, "/api/v1/partnership/organisations/", data)


def _partnership_gap_analysis(world, team):
    from partnership.models import PolicyItem

    path = f"/api/v1/partnership/organisations/{_organisation(world).pk}/gap-analyses/"
    data = {
        "assessed_on": cf.today().isoformat(),
        "items": dict.fromkeys(PolicyItem.values, "partly"),
    }
    return _partnership(world, path, data, within="gap_analyses")


def _partnership_support(world, team):
    path = f"/api/v1/partnership/organisations/{_organisation(world).pk}/support/"
    data = {"date": cf.today().isoformat(), "description": "Template policy sent"}
    return _partnership(world, path, data, within="support")


def _partnership_due_diligence(world, team):
    data = {
        "organisation": str(_organisation(world).pk),
        "route": "grant",
        "checked_on": cf.today().isoformat(),
        "checks": ["registration", "safeguarding"],
        "outcome": "passed",
        "checked_by": "Grants officer",
    }
    return _partnership(world, "/api/v1/partnership/due-diligence/", data)


def _partnership_project(world, team):
    data = {
        "title": "Parents' online safety sessions",
        "organisation": str(_organisation(world).pk),
        "funding_amount": "2500.00",
        "funding_source": "Prevent grant",
        "starts_on": cf.today().isoformat(),
    }
    return _partnership(world, "/api/v1/partnership/projects/", data)


def _partnership_workshop(world, team):
    data = {
        "date": cf.today().isoformat(),
        "title": "WRAP",
        "session_type": "workshop",
        "audience": "Youth workers",
        "attendance": 14,
    }
    return _partnership(world, "/api/v1/partnership/workshops/", data)


def _partnership_complaint(world, team):
    data = {
        "received_on": cf.today().isoformat(),
        "channel": "email",
        "summary": "Training session cancelled at short notice",
    }
    return _partnership(world, "/api/v1/partnership/complaints/", data)


def _partnership_mailing_contact(world, team):
    data = {"email": "qxcontact@example.org"}
    return _partnership(world, "/api/v1/partnership/mailing-contacts/", data)


def _partnership_mailing_send(world, team):
    # A reminder goes to confirmed contacts; with none there is nothing to send (409).
    from django.utils import timezone

    from partnership.models import ContactStatus, MailingContact

    MailingContact.objects.create(
        local_authority=world.la_a,
        email="qxconfirmed@example.org",
        status=ContactStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        unsubscribe_token="qx-location-test",
    )
    return _partnership(world, "/api/v1/partnership/mailing-sends/", {})


def _person_identifier(world, team):
    # Issue 18: a number has no URL of its own; the person it identifies lists it.
    referral = rf.police_assessment(world, officer=team.officer)
    data = {"kind": "nhs_number", "value": "943 476 5919"}
    path = f"/api/v1/referrals/{referral.pk}/identifiers/"
    return Create(_as(team.officer), path, data, within="identifiers")


CREATES = {
    "/api/v1/referrals/": _referral,
    "/api/v1/referrals/imports/": _national_form_import,
    "/api/v1/referrals/{id}/addenda/": _addendum,
    "/api/v1/referrals/{id}/assessment/": _police_assessment,
    "/api/v1/referrals/{id}/notes/": _note,
    "/api/v1/referrals/{id}/attachments/": _attachment,
    "/api/v1/referrals/break-glass/": _break_glass,
    "/api/v1/auth/token/": _token,
    "/api/v1/channel/panels/": _panel_create,
    "/api/v1/channel/panels/{id}/agenda/": _agenda_item,
    "/api/v1/channel/panels/{id}/actions/": _action,
    "/api/v1/channel/panels/{id}/agency-updates/": _agency_update,
    "/api/v1/channel/interventions/{id}/sessions/": _session,
    "/api/v1/referrals/{id}/vulnerability-assessments/": _vulnerability_assessment,
    "/api/v1/referrals/{id}/consents/": _consent,
    "/api/v1/referrals/{id}/support-plan/interventions/": _intervention,
    "/api/v1/referrals/{id}/reviews/": _review,
    "/api/v1/training/records/": _training_record,
    "/api/v1/consultations/": _consultation,
    "/api/v1/channel/panels/{id}/update-requests/": _update_request,
    "/api/v1/partnership/boards/": _partnership_board,
    "/api/v1/partnership/boards/{id}/members/": _partnership_member,
    "/api/v1/partnership/boards/{id}/terms/": _partnership_terms,
    "/api/v1/partnership/meetings/": _partnership_meeting,
    "/api/v1/partnership/plans/": _partnership_plan,
    "/api/v1/partnership/actions/": _partnership_action,
    "/api/v1/partnership/risk-assessments/": _partnership_risk_assessment,
    "/api/v1/partnership/ctlp-briefings/": _partnership_ctlp,
    "/api/v1/partnership/agreements/": _partnership_agreement,
    "/api/v1/partnership/organisations/": _partnership_organisation,
    "/api/v1/partnership/organisations/{id}/gap-analyses/": _partnership_gap_analysis,
    "/api/v1/partnership/organisations/{id}/support/": _partnership_support,
    "/api/v1/partnership/due-diligence/": _partnership_due_diligence,
    "/api/v1/partnership/projects/": _partnership_project,
    "/api/v1/partnership/workshops/": _partnership_workshop,
    "/api/v1/referrals/{id}/identifiers/": _person_identifier,
    "/api/v1/partnership/complaints/": _partnership_complaint,
    "/api/v1/partnership/mailing-contacts/": _partnership_mailing_contact,
    "/api/v1/partnership/mailing-sends/": _partnership_mailing_send,
}


def _operations_answering_201() -> dict[str, dict]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {path}": operation["responses"]["201"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "201" in operation.get("responses", {})
    }


def test_every_201_is_proven_here_and_documents_location():
    operations = _operations_answering_201()
    assert set(operations) == {f"POST {path}" for path in CREATES}
    undocumented = [op for op, answer in operations.items() if "Location" not in answer["headers"]]
    assert not undocumented


@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("path", list(CREATES))
def test_a_201_names_the_created_record_in_location(world, settings, tmp_path, path):
    settings.MEDIA_ROOT = tmp_path
    create = CREATES[path](world, channel_team(world))
    if isinstance(create.client, APIClient):
        response = create.client.post(create.path, create.data, format=create.format)
    else:
        response = create.client.post(create.path)
    assert response.status_code == 201, response.content
    location = response["Location"]
    assert location.startswith("http://testserver/api/v1/")
    read = create.client.get(location)
    assert read.status_code == 200, (location, read.content)
    if create.within:  # no URL of its own: the record read back lists it
        created_id = response.json()[create.id_key]
        assert created_id in [row["id"] for row in read.json()[create.within]]
    elif create.id_key:
        created_id = response.json()[create.id_key]
        if read.get("Content-Type", "").startswith("application/json"):
            assert read.json()["id"] == created_id
        else:  # a file: its URL names it
            assert f"/{created_id}/" in location
    # The record's URL is under the scope of the list it belongs to: out of it, 404.
    outsider = create.outsider or world.user(Role.REFERRER, agency=world.school_b)
    assert _as(outsider).get(location).status_code == 404
