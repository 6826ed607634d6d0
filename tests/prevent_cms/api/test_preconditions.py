"""Concurrent edits (issue 23): ``ETag`` on the case, ``If-Match`` on its edits and steps."""

import json

from rest_framework.test import APIClient

from channel.models import Panel
from channel.services.panels import panel_hold
from prevent_cms.models import AuditEvent
from referrals.choices import State
from referrals.models import Referral, ReferralTransition
from tests.channel import factories as cf
from tests.referrals import factories as f


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def detail(referral) -> str:
    return f"/api/v1/referrals/{referral.pk}/"


def patch(client, referral, body: dict, **headers):
    return client.patch(
        detail(referral), json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_case_answers_its_version_as_etag(world):
    officer = f.officer_for(world)
    case = f.police_assessment(world, officer=officer)
    response = client_for(officer).get(detail(case))
    assert response.status_code == 200
    assert response["ETag"] == f'"{case.version}"'
    assert response.json()["version"] == case.version


def test_a_draft_patch_with_the_current_etag_saves_and_answers_the_next(world):
    referrer = f.referrer_for(world)
    case = f.draft(world, referrer=referrer)
    client = client_for(referrer)
    etag = client.get(detail(case))["ETag"]
    response = patch(client, case, {"referrer_phone": "01632 960 002"}, **{"If-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] == f'"{case.version + 1}"'
    assert Referral.objects.get(pk=case.pk).referrer_phone == "01632 960 002"


def test_a_stale_if_match_on_a_draft_patch_answers_412_and_changes_nothing(world):
    referrer = f.referrer_for(world)
    case = f.draft(world, referrer=referrer)
    client = client_for(referrer)
    stale = client.get(detail(case))["ETag"]
    assert patch(client, case, {"referrer_phone": "01632 960 003"}).status_code == 200
    before = Referral.objects.get(pk=case.pk)
    response = patch(client, case, {"referrer_phone": "01632 960 004"}, **{"If-Match": stale})
    assert response.status_code == 412
    after = Referral.objects.get(pk=case.pk)
    assert (after.version, after.referrer_phone) == (before.version, "01632 960 003")


def test_a_stale_if_match_on_a_transition_answers_412_and_changes_nothing(world):
    officer = f.officer_for(world)
    case = f.submitted(world)
    client = client_for(officer)
    stale = f'"{case.version - 1}"'
    events = AuditEvent.objects.count()
    response = client.post(
        f"{detail(case)}transitions/start_assessment/",
        {},
        format="json",
        headers={"If-Match": stale},
    )
    assert response.status_code == 412
    after = Referral.objects.get(pk=case.pk)
    assert (after.state, after.version) == (State.SUBMITTED, case.version)
    assert not ReferralTransition.objects.filter(referral=case, name="start_assessment").exists()
    assert AuditEvent.objects.count() == events


def test_a_transition_with_the_current_etag_runs(world):
    officer = f.officer_for(world)
    case = f.submitted(world)
    client = client_for(officer)
    etag = client.get(detail(case))["ETag"]
    step = f"{detail(case)}transitions/start_assessment/"
    response = client.post(step, {}, format="json", headers={"If-Match": etag})
    assert response.status_code == 200, response.json()
    assert Referral.objects.get(pk=case.pk).state == State.POLICE_ASSESSMENT
    assert response["ETag"] == f'"{case.version + 1}"'


def test_a_weak_or_malformed_if_match_never_matches(world):
    referrer = f.referrer_for(world)
    case = f.draft(world, referrer=referrer)
    client = client_for(referrer)
    weak = patch(client, case, {"referrer_phone": "1"}, **{"If-Match": f'W/"{case.version}"'})
    assert weak.status_code == 412
    malformed = patch(client, case, {"referrer_phone": "1"}, **{"If-Match": "7"})
    assert malformed.status_code == 400
    assert "If-Match" in malformed.json()["errors"]
    assert Referral.objects.get(pk=case.pk).version == case.version


def test_a_coarse_viewer_is_not_told_the_version_of_a_submitted_case(world):
    """The version counts every step: a referrer who could read it would learn of police
    and panel decisions their coarse status hides."""
    referrer = f.referrer_for(world)
    case = f.police_assessment(world, referrer=referrer)
    before = client_for(referrer).get(detail(case))["ETag"]
    # Steps the referrer's coarse status ("being assessed") does not show.
    Referral.objects.filter(pk=case.pk).update(version=case.version + 3)
    after = client_for(referrer).get(detail(case))["ETag"]
    assert before == after
    assert before != f'"{case.version}"'


def test_the_body_version_still_answers_409(world):
    referrer = f.referrer_for(world)
    case = f.draft(world, referrer=referrer)
    stale = {"referrer_phone": "1", "version": case.version + 5}
    response = patch(client_for(referrer), case, stale)
    assert response.status_code == 409


# --- Panels: no version of their own, so a digest of what the caller is shown ------------


def test_a_stale_if_match_on_a_panel_sign_off_answers_412_and_changes_nothing(world):
    team = cf.channel_team(world)
    referral = cf.channel_panel(world, team)
    panel = cf.held_panel(world, team, referral)
    chair = client_for(team.chair)
    url = f"/api/v1/channel/panels/{panel.pk}/"
    etag = chair.get(url)["ETag"]
    # Someone else records the minutes after this chair read the panel.
    panel_hold(
        panel_id=panel.pk,
        actor=team.chair,
        attended_ids=[team.chair.pk, team.officer.pk, team.member.pk],
        minutes="Minutes, corrected.",
    )
    response = chair.post(f"{url}sign-off/", headers={"If-Match": etag})
    assert response.status_code == 412
    assert Panel.objects.get(pk=panel.pk).signed_off_at is None
    fresh = chair.get(url)["ETag"]
    signed = chair.post(f"{url}sign-off/", headers={"If-Match": fresh})
    assert signed.status_code == 200, signed.json()
    assert signed["ETag"] != fresh
