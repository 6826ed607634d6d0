"""Organisations and projects (the register, safeguarding-policy gap analyses held as data,
support given, commissioning and grant due diligence, community projects) and the training
offer's workshops and briefings: kept by the borough lead of one local authority, audited,
and out of reach of another borough's lead (404) and of anyone else (403)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from partnership.models import GapAnalysis, Organisation, PolicyItem, Project, Workshop
from partnership.services import organisations as services
from prevent_cms.errors import ActionForbidden, GuardFailed
from prevent_cms.models import AuditEvent

from .conftest import api

ALL_MET = dict.fromkeys(PolicyItem.values, "met")


def _organisation(lead, name="Northbridge Youth Trust", organisation_type="charity"):
    return services.organisation_create(
        actor=lead,
        name=name,
        organisation_type=organisation_type,
        engaged_on=timezone.localdate(),
        charity_number="1123456",
    )


def _date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_an_organisation_is_registered_for_the_leads_own_authority_and_audited(world, people):
    organisation = _organisation(people.lead)
    assert organisation.local_authority == world.la_a
    assert AuditEvent.objects.filter(
        action="partnership.organisation.created", object_id=str(organisation.pk)
    ).exists()
    with pytest.raises(ActionForbidden):  # only borough leads keep the register
        _organisation(people.chair)


def test_a_gap_analysis_holds_every_checklist_item_and_counts_the_gaps(people):
    organisation = _organisation(people.lead)
    items = {**ALL_MET, "online_safety": "partly", "whistleblowing": "not_met"}
    analysis = services.gap_analysis_record(
        actor=people.lead,
        organisation_id=organisation.pk,
        assessed_on=timezone.localdate(),
        items=items,
    )
    assert analysis.items == items
    assert analysis.gaps == 2
    assert ("Whistleblowing procedure", "Not met") in analysis.item_rows()
    assert AuditEvent.objects.filter(
        action="partnership.gap_analysis.recorded", object_id=str(organisation.pk)
    ).exists()


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ({k: v for k, v in ALL_MET.items() if k != "dbs_checks"}, "item_dbs_checks"),
        ({**ALL_MET, "training": "maybe"}, "item_training"),
        ({**ALL_MET, "fire_safety": "met"}, "items"),
    ],
)
def test_a_gap_analysis_answers_each_item_of_the_checklist_and_no_other(people, items, field):
    organisation = _organisation(people.lead)
    with pytest.raises(GuardFailed) as refused:
        services.gap_analysis_record(
            actor=people.lead,
            organisation_id=organisation.pk,
            assessed_on=timezone.localdate(),
            items=items,
        )
    assert field in refused.value.errors
    assert not GapAnalysis.objects.exists()


def test_another_boroughs_lead_cannot_write_to_an_organisation(people):
    organisation = _organisation(people.lead)
    with pytest.raises(Organisation.DoesNotExist):
        services.support_record(
            actor=people.lead_b,
            organisation_id=organisation.pk,
            date=timezone.localdate(),
            description="Advice",
        )


def test_due_diligence_records_the_checks_as_codes_in_checklist_order(people):
    organisation = _organisation(people.lead)
    check = services.due_diligence_record(
        actor=people.lead,
        organisation_id=organisation.pk,
        route="grant",
        checked_on=timezone.localdate(),
        checks=["extremism", "registration", "extremism"],
        outcome="conditions",
        checked_by="Sam Okafor, grants officer",
    )
    assert check.checks == ["registration", "extremism"]
    assert check.check_labels() == [
        "Registration (charity or company register)",
        "Extremism and open-source checks",
    ]
    with pytest.raises(GuardFailed) as refused:
        services.due_diligence_record(
            actor=people.lead,
            organisation_id=organisation.pk,
            route="loan",
            checked_on=timezone.localdate() + datetime.timedelta(days=1),
            checks=[],
            outcome="",
            checked_by=" ",
        )
    assert set(refused.value.errors) == {"route", "checked_on", "checks", "outcome", "checked_by"}


def test_a_project_cannot_end_before_it_starts(people):
    organisation = _organisation(people.lead)
    today = timezone.localdate()
    with pytest.raises(GuardFailed, match="end on or after"):
        services.project_create(
            actor=people.lead,
            organisation_id=organisation.pk,
            title="Parents' sessions",
            funding_amount=Decimal("100"),
            funding_source="Prevent grant",
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )


def test_a_workshop_is_recorded_once_held(people):
    today = timezone.localdate()
    with pytest.raises(GuardFailed, match="once it has happened"):
        services.workshop_record(
            actor=people.lead,
            date=today + datetime.timedelta(days=1),
            title="WRAP",
            session_type="workshop",
            audience="Schools",
            attendance=10,
        )
    workshop = services.workshop_record(
        actor=people.lead,
        date=today,
        title="WRAP",
        session_type="briefing",
        audience="Schools",
        attendance=10,
    )
    assert AuditEvent.objects.filter(
        action="partnership.workshop.recorded", object_id=str(workshop.pk)
    ).exists()


# --- The API ----------------------------------------------------------------------------


def test_the_api_registers_an_organisation_with_its_gap_analysis_and_support(people):
    today = timezone.localdate().isoformat()
    client = api(people.lead)
    response = client.post(
        "/api/v1/partnership/organisations/",
        {"name": "St Mark's Church", "organisation_type": "faith", "engaged_on": today},
        format="json",
    )
    assert response.status_code == 201, response.content
    location = response["Location"]
    pk = response.json()["id"]
    items = {**ALL_MET, "dbs_checks": "not_met"}
    answer = client.post(
        f"/api/v1/partnership/organisations/{pk}/gap-analyses/",
        {"assessed_on": today, "items": items},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer["Location"] == location
    assert answer.json()["gaps"] == 1
    support = client.post(
        f"/api/v1/partnership/organisations/{pk}/support/",
        {"date": today, "description": "Template safeguarding policy sent"},
        format="json",
    )
    assert support.status_code == 201, support.content
    read = client.get(location).json()
    assert read["organisation_type_label"] == "Faith organisation"
    assert read["gap_analyses"][0]["items"][2] == {
        "item": "dbs_checks",
        "item_label": "DBS checks",
        "status": "not_met",
        "status_label": "Not met",
    }
    assert read["support"][0]["description"] == "Template safeguarding policy sent"
    assert api(people.lead_b).get(location).status_code == 404
    assert api(people.chair).get("/api/v1/partnership/organisations/").status_code == 403


def test_the_api_refuses_a_gap_analysis_missing_an_item(people):
    organisation = _organisation(people.lead)
    items = {k: v for k, v in ALL_MET.items() if k != "training"}
    response = api(people.lead).post(
        f"/api/v1/partnership/organisations/{organisation.pk}/gap-analyses/",
        {"assessed_on": timezone.localdate().isoformat(), "items": items},
        format="json",
    )
    assert response.status_code == 400
    assert "items" in response.json()["errors"]
    assert not GapAnalysis.objects.exists()


def test_the_api_refuses_a_project_of_another_boroughs_organisation(people):
    theirs = _organisation(people.lead_b, name="Southmere Trust")
    body = {
        "title": "Parents' sessions",
        "organisation": str(theirs.pk),
        "funding_amount": "4500.00",
        "funding_source": "Prevent grant",
        "starts_on": timezone.localdate().isoformat(),
    }
    response = api(people.lead).post("/api/v1/partnership/projects/", body, format="json")
    assert response.status_code == 400
    assert not Project.objects.exists()
    # The amount is a decimal string, as the schema says: a JSON number is refused.
    mine = _organisation(people.lead)
    body |= {"organisation": str(mine.pk), "funding_amount": 4500}
    response = api(people.lead).post("/api/v1/partnership/projects/", body, format="json")
    assert response.status_code == 400


def test_the_api_lists_due_diligence_and_projects_of_an_organisation(people):
    organisation = _organisation(people.lead)
    today = timezone.localdate().isoformat()
    client = api(people.lead)
    check = client.post(
        "/api/v1/partnership/due-diligence/",
        {
            "organisation": str(organisation.pk),
            "route": "commissioning",
            "checked_on": today,
            "checks": ["accounts", "governance"],
            "outcome": "passed",
            "checked_by": "Procurement team",
        },
        format="json",
    )
    assert check.status_code == 201, check.content
    assert check.json()["outcome_label"] == "Passed"
    project = client.post(
        "/api/v1/partnership/projects/",
        {
            "title": "Youth media project",
            "organisation": str(organisation.pk),
            "funding_amount": "1200.50",
            "funding_source": "Council community fund",
            "starts_on": today,
            "outputs": "Ten sessions",
        },
        format="json",
    )
    assert project.status_code == 201, project.content
    assert project.json()["funding_amount"] == "1200.50"
    listed = client.get(f"/api/v1/partnership/projects/?organisation={organisation.pk}").json()
    assert [row["title"] for row in listed["results"]] == ["Youth media project"]
    checks = client.get(f"/api/v1/partnership/due-diligence/?organisation={organisation.pk}")
    assert checks.json()["count"] == 1
    assert api(people.lead_b).get("/api/v1/partnership/due-diligence/").json()["count"] == 0
    assert api(people.lead_b).get(check["Location"]).status_code == 404
    assert api(people.lead_b).get(project["Location"]).status_code == 404


def test_the_api_records_a_workshop(people):
    body = {
        "date": timezone.localdate().isoformat(),
        "title": "WRAP",
        "session_type": "workshop",
        "audience": "Primary DSLs",
        "attendance": 23,
    }
    response = api(people.lead).post("/api/v1/partnership/workshops/", body, format="json")
    assert response.status_code == 201, response.content
    assert Workshop.objects.get().attendance == 23
    assert api(people.lead_b).get(response["Location"]).status_code == 404
    refused = api(people.lead).post(
        "/api/v1/partnership/workshops/", {**body, "attendance": "23"}, format="json"
    )
    assert refused.status_code == 400


# --- The pages ---------------------------------------------------------------------------


def test_the_pages_register_an_organisation_and_record_its_gap_analysis(people, client):
    client.force_login(people.lead)
    today = timezone.localdate()
    response = client.post(
        "/partnership/organisations/new/",
        {"name": "Northbridge Mosque", "organisation_type": "faith"}
        | _date_fields("engaged_on", today),
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert response["Location"] == f"/partnership/organisations/{organisation.pk}/"
    form = {f"item_{code}": "met" for code in PolicyItem.values} | _date_fields(
        "assessed_on", today
    )
    form["item_online_safety"] = "partly"
    url = f"/partnership/organisations/{organisation.pk}/gap-analyses/new/"
    assert client.post(url, form).status_code == 302
    page = client.get(f"/partnership/organisations/{organisation.pk}/").content.decode()
    assert "Online safety" in page
    assert "Partly met" in page  # labels, not codes
    assert "partly<" not in page
    register = client.get("/partnership/organisations/").content.decode()
    assert "1 item not fully met" in register


def test_a_page_form_shows_labelled_errors_in_the_summary(people, client):
    client.force_login(people.lead)
    organisation = _organisation(people.lead)
    url = f"/partnership/organisations/{organisation.pk}/gap-analyses/new/"
    response = client.post(url, {"item_training": "met"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the date of the analysis" in page
    assert "Select whether “DBS checks” is met, partly met or not met" in page


def test_the_pages_record_due_diligence_a_project_and_a_workshop(people, client):
    client.force_login(people.lead)
    organisation = _organisation(people.lead)
    today = timezone.localdate()
    url = f"/partnership/organisations/{organisation.pk}/due-diligence/new/"
    body = {
        "route": "grant",
        "checks": ["registration", "safeguarding"],
        "outcome": "passed",
        "checked_by": "Grants officer",
    } | _date_fields("checked_on", today)
    assert client.post(url, body).status_code == 302
    body = {
        "title": "Parents' online safety",
        "organisation": str(organisation.pk),
        "funding_amount": "2500",
        "funding_source": "Prevent grant",
        "outputs": "Six sessions",
    } | _date_fields("starts_on", today)
    assert client.post("/partnership/projects/new/", body).status_code == 302
    page = client.get(f"/partnership/organisations/{organisation.pk}/").content.decode()
    assert "Safeguarding policy and practice" in page
    assert "Parents&#x27; online safety" in page
    body = {
        "title": "WRAP for youth workers",
        "session_type": "workshop",
        "audience": "Youth workers",
        "attendance": "17",
    } | _date_fields("date", today)
    assert client.post("/partnership/workshops/new/", body).status_code == 302
    page = client.get("/partnership/workshops/").content.decode()
    assert "WRAP for youth workers" in page
    assert "Workshop" in page


@pytest.mark.parametrize(
    "path",
    [
        "/partnership/organisations/",
        "/partnership/organisations/new/",
        "/partnership/projects/",
        "/partnership/projects/new/",
        "/partnership/workshops/",
        "/partnership/workshops/new/",
    ],
)
def test_the_pages_are_the_borough_leads(people, client, path):
    client.force_login(people.chair)
    assert client.get(path).status_code == 403
    client.force_login(people.lead)
    assert client.get(path).status_code == 200


def test_another_boroughs_lead_gets_404_on_an_organisations_pages(people, client):
    organisation = _organisation(people.lead)
    client.force_login(people.lead_b)
    for suffix in ("", "gap-analyses/new/", "support/new/", "due-diligence/new/"):
        url = f"/partnership/organisations/{organisation.pk}/{suffix}"
        assert client.get(url).status_code == 404, url
