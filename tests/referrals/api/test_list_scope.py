"""The referrals list and search read only what the caller may see on each row (issue 13).

- A person with two roles (referrer and panel member) filters their own referrals by the
  coarse status they see on them, never by the police decision behind it.
- Names stay out of URLs: ``q`` on the list takes references only; names are searched with
  ``POST /api/v1/referrals/search/``, scoped exactly as the list.
- Every list read and every search is one audit event naming the references returned.
"""

from __future__ import annotations

from guardian.shortcuts import assign_perm

from accounts.models import Role
from prevent_cms.models import AuditEvent
from tests.referrals import factories as f
from tests.referrals.api.conftest import as_user

LIST = "/api/v1/referrals/"
SEARCH = "/api/v1/referrals/search/"
NAME = {"first_name": "Morwenna", "last_name": "Trevithick"}


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_referrer_who_is_a_panel_member_cannot_single_out_a_police_decision(api, world):
    person = world.user(Role.REFERRER, Role.PANEL_MEMBER, agency=world.school_a)
    officer = f.officer_for(world)
    led = f.direct(f.PoliceLedFactory, world, referrer=person, officer=officer)
    assessing = f.direct(f.InPoliceAssessmentFactory, world, referrer=person, officer=officer)
    on_agenda = f.direct(f.ChannelPanelFactory, world, officer=officer)
    assign_perm("referrals.view_case_as_panel_member", person, on_agenda)
    client = as_user(api, person)

    rows = {row["id"]: row["state"] for row in client.get(LIST).json()["results"]}
    assert rows == {
        str(led.pk): "being_assessed",
        str(assessing.pk): "being_assessed",
        str(on_agenda.pk): "channel_panel",
    }
    referred = {str(led.pk), str(assessing.pk)}
    # On the rows they referred they see "being assessed": the filter reads no more.
    police_led = client.get(LIST, {"state": "police_led"})
    assert _ids(police_led) == referred
    assert police_led.json()["count"] == 2
    assert _ids(client.get(LIST, {"state": "police_assessment"})) == referred
    # On the row they see as a panel member the real state is theirs to filter by.
    assert _ids(client.get(LIST, {"state": "channel_panel"})) == referred | {str(on_agenda.pk)}
    assert _ids(client.get(LIST, {"state": "being_assessed"})) == referred | {str(on_agenda.pk)}
    assert _ids(client.get(LIST, {"state": "closed"})) == set()


def test_a_name_in_the_list_s_q_is_refused_with_the_way_to_search(api, world):
    officer = f.officer_for(world)
    case = f.direct(f.SubmittedFactory, world, subject=NAME)
    client = as_user(api, officer)
    response = client.get(LIST, {"q": "Trevithick"})
    assert response.status_code == 400
    assert "/api/v1/referrals/search/" in str(response.json())
    assert _ids(client.get(LIST, {"q": case.reference})) == {str(case.pk)}


def test_an_officer_searches_by_name_in_the_body_scoped_as_the_list(api, world):
    officer = f.officer_for(world)
    ours = f.direct(f.SubmittedFactory, world, subject=NAME)
    f.direct(f.SubmittedFactory, world)  # someone else
    elsewhere = f.submitted(world, subject={**NAME, "local_authority": world.la_c.pk})
    assert elsewhere.police_force_id == world.other_force.pk
    client = as_user(api, officer)
    since = _last_event()
    response = client.post(SEARCH, {"q": "morwenna trevithick"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [str(ours.pk)]
    assert set(body["results"][0]) == set(client.get(LIST).json()["results"][0])
    event = AuditEvent.objects.get(pk__gt=since, action="referral.searched")
    assert event.actor == officer
    assert event.detail == {"via": "api", "references": [ours.reference], "count": 1}
    assert "Trevithick" not in str(event.detail)


def test_search_pages_like_the_list(api, world):
    officer = f.officer_for(world)
    for _ in range(27):
        f.direct(f.SubmittedFactory, world, subject=NAME)
    client = as_user(api, officer)
    first = client.post(SEARCH, {"q": "Trevithick"}, format="json").json()
    assert (first["count"], len(first["results"])) == (27, 25)
    assert "Trevithick" not in first["next"]
    second = client.post(first["next"], {"q": "Trevithick"}, format="json").json()
    assert len(second["results"]) == 2


def test_search_answers_400_without_a_term_and_403_to_those_who_may_not_search(api, world):
    officer = f.officer_for(world)
    assert as_user(api, officer).post(SEARCH, {"q": "  "}, format="json").status_code == 400
    assert as_user(api, officer).post(SEARCH, {}, format="json").status_code == 400
    referrer = f.referrer_for(world)
    f.direct(f.SubmittedFactory, world, referrer=referrer, subject=NAME)
    response = as_user(api, referrer).post(SEARCH, {"q": "Trevithick"}, format="json")
    assert response.status_code == 403


def test_every_list_read_is_one_audit_event_with_the_references_returned(api, world):
    referrer = f.referrer_for(world)
    cases = [f.direct(f.SubmittedFactory, world, referrer=referrer) for _ in range(3)]
    since = _last_event()
    response = as_user(api, referrer).get(LIST)
    assert response.status_code == 200
    event = AuditEvent.objects.get(pk__gt=since)
    assert (event.actor, event.action) == (referrer, "referral.list_viewed")
    assert sorted(event.detail["references"]) == sorted(c.reference for c in cases)
    assert event.detail["references"] == [row["reference"] for row in response.json()["results"]]
