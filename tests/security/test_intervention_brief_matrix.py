"""Who may read a provider's brief (issue 16): every person of the case matrix
(``test_matrix.PEOPLE``), as a browser session and as an API token, against every endpoint
whose path names a brief, for the provider's own intervention, another provider's
intervention on the same case, and the provider's intervention once its case is closed.

Only the intervention's provider reads its brief, while the case is open; everyone else —
the case's chair and officer included, who read the case through its own pages — gets the
answer for an intervention that does not exist (404), never the person's name or what the
chair shared. The inactive and locked-out officers get the sign-in page or 401.
Every endpoint whose path ends in ``/brief/`` joins without editing this file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings

from accounts.models import Role
from channel.models import Intervention
from channel.services.interventions import intervention_set_brief
from prevent_cms.registry import ensure_reference_data
from tests.channel import factories as cf
from tests.factories import UserFactory

from .conftest import add
from .endpoints import Endpoint, api_operations, url_endpoints
from .test_matrix import LONG_SESSIONS, PEOPLE, TOKEN, _clients, _people, _world

SIGNED_OUT = {"inactive_officer", "locked_officer"}
CONTACT = "Qxcontactroute shared by the chair"


def _endpoints() -> dict[str, Endpoint]:
    pages = [e for e in url_endpoints() if not e.name.startswith(("api:", "admin:"))]
    return {
        f"{'api' if e.api else 'page'}:{e.name}": e
        for e in pages + api_operations()
        if e.template.endswith("/brief/") and "GET" in e.methods
    }


ENDPOINTS = _endpoints()


@dataclass
class Setup:
    clients: dict[str, Client]
    own: Intervention
    other: Intervention
    closed: Intervention
    names: tuple[str, ...]


@pytest.fixture(scope="module")
def setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**LONG_SESSIONS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_reference_data()
            world = _world()
            people = _people(world)
            team = cf.Team(
                chair=people["chair"],
                officer=people["officer"],
                member=people["panel_member"],
                provider=people["intervention_provider"],
            )
            open_case, closed_case = cf.support(world, team), cf.support(world, team)
            own = cf.intervention(team, open_case)
            someone = UserFactory(agency=world.community_a, roles=[Role.INTERVENTION_PROVIDER])
            other = cf.intervention(team, open_case, provider=str(someone.pk))
            closed = cf.intervention(team, closed_case)
            for intervention in (own, other, closed):
                intervention_set_brief(
                    intervention_id=intervention.pk,
                    actor=team.chair,
                    data={"contact_route": CONTACT, "goals": "Qxgoals", "sessions_planned": 2},
                )
            cf._run(team, closed_case, "close", reason="moved_area", rationale="Moved away.")
            # Names no person of the matrix can carry (a Faker surname can be a signed-in
            # person's own, shown in the header of every page, 404 included).
            names = ("Qxbriefopen", "Qxbriefclosed")
            for case, name in zip((open_case, closed_case), names, strict=True):
                case.subject.last_name = name
                case.subject.save(update_fields=["last_name"])
            yield Setup(_clients(people), own, other, closed, names)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_brief_endpoints_are_in_the_matrix():
    assert {"page:channel:intervention_brief", "api:channel_intervention_brief"} <= set(ENDPOINTS)


@pytest.mark.parametrize("person", PEOPLE)
def test_only_the_provider_reads_their_own_brief(setup, db, settings, person):
    for name, value in LONG_SESSIONS.items():
        setattr(settings, name, value)
    failures, cells = [], 0
    for actor in (person, person + TOKEN):
        client = setup.clients[actor]
        for key, endpoint in ENDPOINTS.items():
            if client.token and not endpoint.api:
                continue
            for which in ("own", "other", "closed"):
                intervention = getattr(setup, which)
                ids = {"pk": str(intervention.pk), "id": str(intervention.pk)}
                response = client.get(endpoint.fill(ids))
                body = response.content.decode("utf-8", "replace")
                cells += 1
                label = f"{actor} × {key} × {which}"
                if person == "intervention_provider" and which == "own":
                    if response.status_code != 200 or CONTACT not in body:
                        failures.append(f"{label}: {response.status_code}, expected the brief")
                    continue
                signed_out = 401 if endpoint.api else 302
                expected = signed_out if person in SIGNED_OUT else 404
                if response.status_code != expected:
                    failures.append(f"{label}: {response.status_code}, expected {expected}")
                if CONTACT in body or any(name in body for name in setup.names):
                    failures.append(f"{label}: shows the brief")
    add("Provider's brief cells checked", cells)
    assert not failures, "\n".join(failures)
