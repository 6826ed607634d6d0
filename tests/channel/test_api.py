"""The Channel API of DESIGN.md §5, driven end to end, with 400/403/404 answers."""

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from prevent_cms.models import AuditEvent
from referrals import services as referral_services
from referrals.models import Referral
from tests.channel import factories as cf
from tests.channel.conftest import years_ago
from tests.factories import UserFactory
from tests.referrals import factories as rf

pytestmark = [pytest.mark.django_db]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def transition(client, referral, name, **payload):
    return referral_services.referral_transition(
        referral_id=referral.pk, name=name, actor=client.handler._force_user, payload=payload
    )


def test_whole_channel_journey_through_the_api(world, team):
    chair = client_for(team.chair)
    referral = cf.channel_panel(world, team, subject={"date_of_birth": years_ago(15)})
    today = cf.today().isoformat()

    frameworks = chair.get("/api/v1/channel/assessment-frameworks/").json()["results"]
    vaf = frameworks[0]
    assert vaf["code"] == "vaf_2012"
    assert len(vaf["factors"]) == 22
    assert vaf["ratings"]

    response = chair.post(
        "/api/v1/channel/panels/",
        {
            "date": today,
            "location": "Civic Centre",
            "members": [str(team.officer.pk), str(team.member.pk)],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    panel = response.json()
    assert str(team.chair.pk) in panel["members"]

    response = chair.post(
        f"/api/v1/channel/panels/{panel['id']}/agenda/",
        {"referral": str(referral.pk)},
        format="json",
    )
    assert response.status_code == 201, response.json()

    ratings = {f["code"]: vaf["ratings"][1] for f in vaf["factors"]}
    missing = dict(ratings)
    missing.pop("harmful_objectives")
    response = chair.post(
        f"/api/v1/referrals/{referral.pk}/vulnerability-assessments/",
        {"framework": "vaf_2012", "ratings": missing, "summary": "s", "management_plan": "m"},
        format="json",
    )
    assert response.status_code == 400
    assert "harmful_objectives" in response.json()["detail"]
    response = chair.post(
        f"/api/v1/referrals/{referral.pk}/vulnerability-assessments/",
        {"framework": "vaf_2012", "ratings": ratings, "summary": "s", "management_plan": "m"},
        format="json",
    )
    assert response.status_code == 201, response.json()

    response = chair.post(
        f"/api/v1/channel/panels/{panel['id']}/hold/",
        {"attended": [str(team.chair.pk), str(team.officer.pk)], "minutes": "Agreed to adopt."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["held"] is True
    transition(chair, referral, "adopt")

    wrong = chair.post(
        f"/api/v1/referrals/{referral.pk}/consents/",
        {"given_by": "individual", "date": today, "decision": "given"},
        format="json",
    )
    assert wrong.status_code == 400
    assert "given_by" in wrong.json()["errors"]
    response = chair.post(
        f"/api/v1/referrals/{referral.pk}/consents/",
        {
            "given_by": "parent_or_guardian",
            "given_by_name": "Jo Parent",
            "relationship": "Mother",
            "date": today,
            "decision": "given",
            "child_view": "Wants help with college.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    transition(chair, referral, "consent_given")

    no_provider = chair.post(
        f"/api/v1/referrals/{referral.pk}/support-plan/interventions/",
        {"type": "education", "start_date": today, "hours": 10},
        format="json",
    )
    assert no_provider.status_code == 400
    assert "provider" in no_provider.json()["errors"]
    response = chair.post(
        f"/api/v1/referrals/{referral.pk}/support-plan/interventions/",
        {
            "type": "ideological_mentoring",
            "provider": str(team.provider.pk),
            "start_date": today,
            "hours": 10,
            "status": "active",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = chair.post(
        f"/api/v1/referrals/{referral.pk}/reviews/",
        {
            "kind": "panel",
            "date": today,
            "risk_change": "reduced",
            "recommend_exit": True,
            "notes": "",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert chair.get(f"/api/v1/referrals/{referral.pk}/reviews/").json()["count"] == 1
    transition(chair, referral, "exit_channel")
    referral.refresh_from_db()
    assert referral.state == "post_exit_review"

    # The provider sees exactly their intervention, and nothing of the case itself.
    provider = client_for(team.provider)
    mine = provider.get("/api/v1/channel/interventions/").json()
    assert [row["reference"] for row in mine["results"]] == [referral.reference]
    assert provider.get(f"/api/v1/referrals/{referral.pk}/reviews/").status_code == 404


def test_bad_input_answers_400(world, team):
    chair = client_for(team.chair)
    past = (cf.today() - datetime.timedelta(days=1)).isoformat()
    response = chair.post(
        "/api/v1/channel/panels/", {"date": past, "location": "Room"}, format="json"
    )
    assert response.status_code == 400
    assert "date" in response.json()["errors"]
    other = UserFactory(agency=world.council_b, roles=[Role.PANEL_MEMBER])
    response = chair.post(
        "/api/v1/channel/panels/",
        {"date": cf.today().isoformat(), "location": "Room", "members": [str(other.pk)]},
        format="json",
    )
    assert response.status_code == 400
    assert "members" in response.json()["errors"]
    closed = cf.direct(cf.ClosedViaChannelFactory, world, team)
    panel = chair.post(
        "/api/v1/channel/panels/",
        {"date": cf.today().isoformat(), "location": "Room"},
        format="json",
    ).json()
    response = chair.post(
        f"/api/v1/channel/panels/{panel['id']}/agenda/", {"referral": str(closed.pk)}, format="json"
    )
    assert response.status_code == 400
    assert "closed" in response.json()["detail"]


def test_panel_member_sees_exactly_the_cases_on_their_agendas(world, team):
    on_agenda = cf.direct(rf.ChannelPanelFactory, world, team)
    elsewhere = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = cf.held_panel(world, team, on_agenda)
    member = client_for(team.member)
    assert member.get(f"/api/v1/channel/panels/{panel.pk}/").status_code == 200
    agenda = member.get(f"/api/v1/channel/panels/{panel.pk}/agenda/").json()["results"]
    assert [row["reference"] for row in agenda] == [on_agenda.reference]
    assert member.get(f"/api/v1/referrals/{on_agenda.pk}/reviews/").status_code == 200
    assert member.get(f"/api/v1/referrals/{elsewhere.pk}/reviews/").status_code == 404
    # Visible but not theirs to change.
    response = member.post(
        f"/api/v1/referrals/{on_agenda.pk}/reviews/",
        {"kind": "panel", "date": cf.today().isoformat(), "risk_change": "reduced"},
        format="json",
    )
    assert response.status_code == 403
    # Another borough's chair sees none of it.
    chair_b = client_for(UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR]))
    assert chair_b.get(f"/api/v1/channel/panels/{panel.pk}/").status_code == 404
    assert chair_b.get("/api/v1/channel/panels/").json()["count"] == 0
    assert chair_b.get(f"/api/v1/referrals/{on_agenda.pk}/consents/").status_code == 404


def test_referrer_cannot_read_channel_content(world, team):
    referral = cf.direct(cf.AwaitingConsentFactory, world, team)
    referrer = Referral.objects.get(pk=referral.pk).referrer
    response = client_for(referrer).get(
        f"/api/v1/referrals/{referral.pk}/vulnerability-assessments/"
    )
    assert response.status_code == 403


def test_pack_job_and_download(world, team, django_capture_on_commit_callbacks):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = cf.held_panel(world, team, referral)
    chair = client_for(team.chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = chair.post(f"/api/v1/channel/panels/{panel.pk}/pack/")
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"id", "url"}
    assert response["Location"] == body["url"]
    job = chair.get(f"/api/v1/jobs/{body['id']}/").json()
    assert job["state"] == "done"
    assert job["progress"] == 100

    member = client_for(team.member)
    response = member.get(f"/api/v1/channel/panels/{panel.pk}/pack/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    downloaded = AuditEvent.objects.filter(
        action="channel.pack.downloaded", actor_id=team.member.pk
    )
    assert sorted(downloaded.values_list("object_type", "object_id")) == [
        ("channel.panel", str(panel.pk)),
        ("referrals.referral", str(referral.pk)),
    ]
    outsider = client_for(UserFactory(agency=world.health_a, roles=[Role.PANEL_MEMBER]))
    assert outsider.get(f"/api/v1/channel/panels/{panel.pk}/pack/").status_code == 404
    # Only the chair may start a pack.
    assert member.post(f"/api/v1/channel/panels/{panel.pk}/pack/").status_code == 403
