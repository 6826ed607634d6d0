"""The provider's brief (issue 16): for their own interventions only, exactly the listed items.

Listed: the person's name, the contact route the chair chose to share, the plan's goals for
this provider, sessions held against planned, hours delivered against agreed, and the next
review date. Nothing else about the case; the chair sees hours used per intervention.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from channel.services.interventions import intervention_session_record, intervention_set_brief
from prevent_cms.errors import ActionForbidden
from referrals.models import Referral
from tests.channel import factories as cf
from tests.factories import UserFactory

CONTACT = "Through the college pastoral team, 01632 960 123"
GOALS = "Build a trusted relationship; explore alternative narratives."
SECRET = "SUPPORT-PLAN-NOTES-NOT-FOR-PROVIDER"


@pytest.fixture
def supported(world, team):
    referral = cf.direct(cf.SupportFactory, world, team)
    referral.concern_summary = SECRET
    referral.save()
    own = cf.intervention(team, referral, hours=12)
    intervention_set_brief(
        intervention_id=own.pk,
        actor=team.chair,
        data={"contact_route": CONTACT, "goals": GOALS, "sessions_planned": 6},
    )
    for hours in (Decimal("1.5"), Decimal("2")):
        intervention_session_record(
            intervention_id=own.pk, actor=team.provider, date=cf.today(), hours=hours
        )
    other_provider = UserFactory(agency=world.community_a, roles=[Role.INTERVENTION_PROVIDER])
    other = cf.intervention(team, referral, provider=str(other_provider.pk), type="education")
    intervention_set_brief(
        intervention_id=other.pk,
        actor=team.chair,
        data={"contact_route": "OTHER-CONTACT", "goals": "OTHER-GOALS", "sessions_planned": 3},
    )
    cf.review(team, referral)  # a panel review today: the next is a month on
    return referral, own, other


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_provider_sees_exactly_the_listed_items_of_their_own_intervention(supported, team, client):
    referral, own, _other = supported
    client.force_login(team.provider)
    response = client.get(reverse("channel:intervention_brief", args=[own.pk]))
    assert response.status_code == 200
    body = _text(response)
    assert referral.subject.full_name in body
    assert CONTACT in body
    assert GOALS in body
    assert "2 held of 6 planned" in body
    assert "3.5 delivered of 12.0 agreed" in body
    next_review = cf.today() + datetime.timedelta(days=30)
    assert next_review.strftime("%-d %B %Y") in body
    # Nothing else about the case.
    for hidden in (
        SECRET,
        "OTHER-CONTACT",
        "OTHER-GOALS",
        referral.subject.date_of_birth.strftime("%-d %B %Y"),
        referral.subject.postcode,
        "Vulnerable to grooming online.",  # the vulnerability assessment
        "Happy to meet a mentor.",  # consent
        "Engaging well.",  # the review's notes
    ):
        assert hidden not in body


def test_provider_cannot_read_another_providers_brief_or_the_case(supported, team, client):
    referral, _own, other = supported
    client.force_login(team.provider)
    assert client.get(reverse("channel:intervention_brief", args=[other.pk])).status_code == 404
    assert client.get(reverse("channel:case", args=[referral.pk])).status_code == 404
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    listing = _text(client.get(reverse("channel:provider_list")))
    assert reverse("channel:intervention_brief", args=[supported[1].pk]) in listing
    assert reverse("channel:intervention_brief", args=[other.pk]) not in listing


def test_the_brief_is_the_providers_alone(supported, team, client):
    _referral, own, _other = supported
    for person in (team.chair, team.member, team.officer):
        client.force_login(person)
        assert client.get(reverse("channel:intervention_brief", args=[own.pk])).status_code == 404


def test_closed_case_takes_the_brief_away(supported, team, client):
    referral, own, _other = supported
    cf._run(team, referral, "close", reason="moved_area", rationale="Moved away.")
    client.force_login(team.provider)
    assert client.get(reverse("channel:intervention_brief", args=[own.pk])).status_code == 404


def test_chair_sets_the_brief_and_sees_hours_used(supported, team, client):
    referral, own, _other = supported
    client.force_login(team.chair)
    case_page = _text(client.get(reverse("channel:case", args=[referral.pk])))
    assert "Hours used" in case_page
    assert "3.5" in case_page
    url = reverse("channel:intervention_brief_edit", args=[own.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"contact_route": "By phone", "goals": "New goals", "sessions_planned": "8"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.contact_route, own.goals, own.sessions_planned) == ("By phone", "New goals", 8)
    bad = client.post(url, {"sessions_planned": "-2"})
    assert bad.status_code == 400


def test_only_the_chair_sets_the_brief(supported, team, client):
    _referral, own, _other = supported
    for person in (team.officer, team.member):  # they see the case, but may not set it
        with pytest.raises(ActionForbidden):
            intervention_set_brief(
                intervention_id=own.pk, actor=person, data={"contact_route": "x"}
            )
    with pytest.raises(Referral.DoesNotExist):  # the provider does not see the case itself
        intervention_set_brief(
            intervention_id=own.pk, actor=team.provider, data={"contact_route": "x"}
        )
    client.force_login(team.provider)
    url = reverse("channel:intervention_brief_edit", args=[own.pk])
    assert client.post(url, {"contact_route": "mine"}).status_code == 404
    own.refresh_from_db()
    assert own.contact_route == CONTACT


def test_the_api_takes_the_brief_with_the_intervention(world, team):
    referral = cf.direct(cf.SupportFactory, world, team)
    client = APIClient()
    client.force_authenticate(team.chair)
    response = client.post(
        reverse("api:channel-case-interventions", args=[referral.pk]),
        {
            "type": "mental_health",
            "provider": str(team.provider.pk),
            "start_date": cf.today().isoformat(),
            "hours": "10",
            "contact_route": CONTACT,
            "goals": GOALS,
            "sessions_planned": 5,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["contact_route"], body["goals"], body["sessions_planned"]) == (CONTACT, GOALS, 5)


def test_the_api_answers_the_providers_brief_and_nothing_else(supported, team):
    referral, own, other = supported
    client = APIClient()
    client.force_authenticate(team.provider)
    response = client.get(reverse("api:channel-intervention-brief", args=[own.pk]))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": str(own.pk),
        "reference": referral.reference,
        "type": own.type,
        "person": referral.subject.full_name,
        "contact_route": CONTACT,
        "goals": GOALS,
        "sessions_planned": 6,
        "sessions_held": 2,
        "hours_agreed": "12.0",
        "hours_delivered": "3.5",
        "next_review_on": (cf.today() + datetime.timedelta(days=30)).isoformat(),
    }
    assert response["Cache-Control"] == "no-store"
    assert client.get(reverse("api:channel-intervention-brief", args=[other.pk])).status_code == 404
    for person in (team.chair, team.officer, team.member):
        client.force_authenticate(person)
        assert (
            client.get(reverse("api:channel-intervention-brief", args=[own.pk])).status_code == 404
        )
    cf._run(team, referral, "close", reason="moved_area", rationale="Moved away.")
    client.force_authenticate(team.provider)
    assert client.get(reverse("api:channel-intervention-brief", args=[own.pk])).status_code == 404
