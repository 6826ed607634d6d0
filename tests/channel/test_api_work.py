"""Panel membership, intervention status and the support plan document through the API
(issue 23): the pages' rules — out of scope 404 before the body is read, visible but not
yours 403, the services' words on a 400, audit rows for reads and changes."""

import datetime

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import Role
from channel.models import AgendaItem
from channel.services.agenda import panel_add_case
from channel.services.panels import panel_create
from prevent_cms.models import AuditEvent
from referrals.selectors import referrals_visible_to
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals import factories as rf

pytestmark = [pytest.mark.django_db]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def messages(response, field: str) -> list[str]:
    """A field's messages: the error shape gives each field a list of ``{message, code}``."""
    listed = response.json()["errors"][field]
    assert isinstance(listed, list)
    return [error["message"] for error in listed]


# --- Panel members -------------------------------------------------------------------------


@pytest.fixture
def panel(world, team):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = panel_create(
        actor=team.chair,
        date=cf.today() + datetime.timedelta(days=7),
        location="Civic Centre",
        member_ids=[team.officer.pk],
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    panel.case = referral
    return panel


def members_url(panel) -> str:
    return f"/api/v1/channel/panels/{panel.pk}/members/"


def test_the_chair_invites_and_uninvites_members(team, panel):
    chair = client_for(team.chair)
    assert not referrals_visible_to(team.member).filter(pk=panel.case.pk).exists()
    response = chair.put(
        members_url(panel), {"members": [str(team.officer.pk), str(team.member.pk)]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert set(response.json()["members"]) == {
        str(team.chair.pk),
        str(team.officer.pk),
        str(team.member.pk),
    }
    assert referrals_visible_to(team.member).filter(pk=panel.case.pk).exists()
    assert AuditEvent.objects.filter(
        action="channel.panel.members_changed", actor=team.chair, object_id=str(panel.pk)
    ).exists()
    assert AuditEvent.objects.filter(  # the answer shows the agenda: a read of its cases
        action="referral.viewed", actor=team.chair, object_id=str(panel.case.pk)
    ).exists()
    response = chair.put(members_url(panel), {"members": [str(team.officer.pk)]}, format="json")
    assert response.status_code == 200
    assert not referrals_visible_to(team.member).filter(pk=panel.case.pk).exists()


def test_members_are_checked_like_the_page(world, team, panel):
    chair = client_for(team.chair)
    response = chair.put(members_url(panel), {"members": ["not-an-id"]}, format="json")
    assert response.status_code == 400
    assert "Not a valid person id" in str(response.json()["errors"]["members"])
    outsider = UserFactory(agency=world.council_c, roles=[Role.PANEL_MEMBER])
    response = chair.put(members_url(panel), {"members": [str(outsider.pk)]}, format="json")
    assert response.status_code == 400
    assert messages(response, "members")[0].startswith("Invite only people from your local")
    response = chair.put(members_url(panel), {}, format="json")
    assert messages(response, "members") == ["List the panel's members (user ids)"]
    assert set(panel.members.all()) == {team.chair, team.officer}


def test_a_member_may_not_change_the_members(team, panel):
    officer = client_for(team.officer)  # a member of the panel: sees it, may not change it
    response = officer.put(members_url(panel), {"members": "junk"}, format="json")
    assert response.status_code == 403
    assert set(panel.members.all()) == {team.chair, team.officer}


def test_another_boroughs_panel_is_404(world, team, panel):
    chair_b = client_for(UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR]))
    response = chair_b.put(members_url(panel), {"members": "junk"}, format="json")
    assert response.status_code == 404
    assert set(panel.members.all()) == {team.chair, team.officer}


# --- Intervention status -------------------------------------------------------------------


@pytest.fixture
def intervention(world, team):
    return cf.intervention(team, cf.direct(cf.SupportFactory, world, team), status="planned")


def intervention_url(intervention) -> str:
    return f"/api/v1/channel/interventions/{intervention.pk}/"


def test_the_chair_changes_an_interventions_status(team, intervention):
    chair = client_for(team.chair)
    response = chair.patch(intervention_url(intervention), {"status": "completed"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"
    intervention.refresh_from_db()
    assert intervention.status == "completed"
    assert AuditEvent.objects.filter(
        action="channel.intervention_updated",
        actor=team.chair,
        object_id=str(intervention.referral_id),
    ).exists()
    response = chair.patch(intervention_url(intervention), {"status": "done"}, format="json")
    assert response.status_code == 400
    assert messages(response, "status") == ["Select the status"]


def test_an_empty_patch_of_an_intervention_changes_nothing(team, intervention):
    """The schema's PATCH body names no required field (schemathesis sent ``{}``)."""
    response = client_for(team.chair).patch(intervention_url(intervention), {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "planned"
    assert not AuditEvent.objects.filter(action="channel.intervention_updated").exists()
    # Only the chair may change it, empty or not.
    response = client_for(team.provider).patch(intervention_url(intervention), {}, format="json")
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("who", ["chair", "provider", "officer"])
def test_those_who_see_an_intervention_read_it_audited(team, intervention, who):
    user = getattr(team, who)
    response = client_for(user).get(intervention_url(intervention))
    assert response.status_code == 200
    assert response.json()["id"] == str(intervention.pk)
    assert AuditEvent.objects.filter(
        action="referral.viewed",
        actor=user,
        object_id=str(intervention.referral_id),
        detail__via="api_intervention",
    ).exists()


@pytest.mark.parametrize("who", ["provider", "officer"])
def test_only_the_chair_changes_the_status(team, intervention, who):
    response = client_for(getattr(team, who)).patch(
        intervention_url(intervention), {"status": "junk"}, format="json"
    )
    assert response.status_code == 403
    intervention.refresh_from_db()
    assert intervention.status == "planned"


def test_someone_elses_intervention_is_404(world, team, intervention):
    for user in (
        UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR]),
        UserFactory(agency=world.community_a, roles=[Role.INTERVENTION_PROVIDER]),
    ):
        client = client_for(user)
        assert client.get(intervention_url(intervention)).status_code == 404
        response = client.patch(intervention_url(intervention), {"status": "junk"}, format="json")
        assert response.status_code == 404
    intervention.refresh_from_db()
    assert intervention.status == "planned"


# --- The support plan document ------------------------------------------------------------


def plan_url(referral) -> str:
    return f"/api/v1/referrals/{referral.pk}/support-plan/"


def test_the_chair_reads_and_writes_the_support_plan(team, intervention):
    referral = intervention.referral
    chair = client_for(team.chair)
    response = chair.get(plan_url(referral))
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["interventions"]] == [str(intervention.pk)]
    assert body["consents"][0]["decision"] == "given"
    assert AuditEvent.objects.filter(
        action="referral.viewed", actor=team.chair, detail__via="api_support_plan"
    ).exists()
    report = "Engaged well with mentoring; exit agreed."
    response = chair.patch(
        plan_url(referral),
        {"closing_report": report, "consent_sought": "By the social worker at home."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["closing_report"] == report
    assert response.json()["consent_sought"] == "By the social worker at home."
    assert AuditEvent.objects.filter(
        action="channel.support_plan_updated", actor=team.chair, object_id=str(referral.pk)
    ).exists()


def test_the_support_plan_is_checked_like_the_page(world, team, intervention):
    chair = client_for(team.chair)
    response = chair.patch(plan_url(intervention.referral), {"closing_report": ""}, format="json")
    assert response.status_code == 400
    assert messages(response, "closing_report") == [
        "Enter the closing report: how support went and why it ended"
    ]
    response = chair.patch(plan_url(intervention.referral), {}, format="json")
    assert response.status_code == 400
    not_yet = cf.direct(
        rf.ChannelPanelFactory, world, team
    )  # the closing report is written at exit
    response = chair.patch(plan_url(not_yet), {"closing_report": "Too early."}, format="json")
    assert response.status_code == 409


def test_only_the_chair_writes_the_support_plan(team, intervention):
    officer = client_for(team.officer)  # sees the case's Channel content
    assert officer.get(plan_url(intervention.referral)).status_code == 200
    response = officer.patch(plan_url(intervention.referral), {"closing_report": 1}, format="json")
    assert response.status_code == 403
    provider = client_for(team.provider)  # sees their intervention, not the case
    assert provider.get(plan_url(intervention.referral)).status_code == 404


def test_another_boroughs_support_plan_is_404(world, intervention):
    chair_b = client_for(UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR]))
    assert chair_b.get(plan_url(intervention.referral)).status_code == 404
    response = chair_b.patch(plan_url(intervention.referral), {"closing_report": 1}, format="json")
    assert response.status_code == 404


# --- One agenda item: read it, and edit it with If-Match -----------------------------------


def agenda_item_url(panel) -> str:
    return f"/api/v1/channel/panels/{panel.pk}/agenda/{panel.case.pk}/"


DISCUSSION = {"discussion": "Talked it through.", "decision": "Adopt", "rationale": "Clear."}


def test_the_agenda_item_is_read_at_its_own_url_audited(team, panel):
    response = client_for(team.chair).get(agenda_item_url(panel))
    assert response.status_code == 200
    assert response.json()["referral"] == str(panel.case.pk)
    assert response["ETag"]
    assert AuditEvent.objects.filter(
        action="referral.viewed",
        actor=team.chair,
        object_id=str(panel.case.pk),
        detail__via="api_panel_agenda_item",
    ).exists()


def test_another_boroughs_agenda_item_is_404(world, team, panel):
    other = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    assert client_for(other).get(agenda_item_url(panel)).status_code == 404


def test_a_stale_if_match_on_the_agenda_item_answers_412_and_changes_nothing(team, panel):
    chair = client_for(team.chair)
    etag = chair.get(agenda_item_url(panel))["ETag"]
    first = chair.patch(agenda_item_url(panel), DISCUSSION, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    assert first["ETag"] != etag
    stale = chair.patch(
        agenda_item_url(panel),
        {**DISCUSSION, "discussion": "Overwritten."},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert stale.status_code == 412
    item = AgendaItem.objects.get(panel=panel, referral=panel.case)
    assert item.discussion == "Talked it through."
    again = chair.patch(
        agenda_item_url(panel),
        {**DISCUSSION, "discussion": "Overwritten."},
        format="json",
        HTTP_IF_MATCH=first["ETag"],
    )
    assert again.status_code == 200
    item.refresh_from_db()
    assert item.discussion == "Overwritten."


def test_the_agenda_item_documents_if_match_and_its_etag():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    item = schema["paths"]["/api/v1/channel/panels/{id}/agenda/{referral_pk}/"]
    assert "If-Match" in {p["name"] for p in item["patch"]["parameters"]}
    assert "412" in item["patch"]["responses"]
    assert "ETag" in item["get"]["responses"]["200"]["headers"]
