"""Who may read and change a consultation (issue 15): role × endpoint, from the URL conf and
the API schema, for the people of the case matrix (``test_matrix.PEOPLE``).

A consultation belongs to a police force (and one of its local authorities): the Prevent
officers of that force see and change it, in whichever of its boroughs they work. Everyone
else — referrers, agency leads, chairs, panel members, providers, borough leads, the system
administrator, officers of another force — gets the answer for a consultation that does not
exist: 404 on one consultation (its existence is itself sensitive, DESIGN.md §3), 403 on the
list and on recording one (nothing there names a record; an officer of another force lists
their own and may not record one for this borough: 400), never the consultation's words, and
nothing changes. The inactive and locked-out officers get the sign-in page or 401.
Every endpoint whose path names consultations joins without editing this file.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import User
from consultations.models import Consultation
from consultations.services import consultation_record
from prevent_cms.registry import ensure_reference_data
from tests.referrals import factories as rf

from .conftest import add
from .endpoints import Endpoint, api_operations, url_endpoints
from .test_matrix import LONG_SESSIONS, PEOPLE, TOKEN, _clients, _people, _world

# The officers of the consultation's force and the Prevent lead of its local authority.
FULL = {"officer", "officer_other_la", "prevent_lead"}
SIGNED_OUT = {"inactive_officer", "locked_officer"}
ASKER = "Qxaskername"
CONCERN = "Qxconcernwords"
DAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


def _endpoints() -> dict[str, Endpoint]:
    found = {}
    # Pages from the URL conf, API operations (each with its own method) from the schema.
    pages = [e for e in url_endpoints() if not e.name.startswith(("api:", "admin:"))]
    for endpoint in pages + api_operations():
        if "/consultations/" in endpoint.template:
            for method in endpoint.methods:
                found[f"{method} {'api' if endpoint.api else 'page'}:{endpoint.name}"] = (
                    endpoint,
                    method,
                )
    return found


ENDPOINTS = _endpoints()


@dataclass
class Setup:
    people: dict[str, User]
    clients: dict[str, Client]
    consultation: Consultation
    referral_id: str


@pytest.fixture(scope="module")
def setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**LONG_SESSIONS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_reference_data()
            world = _world()
            people = _people(world)
            consultation = consultation_record(
                actor=people["officer"],
                local_authority=world.la_a,
                data={
                    "consulted_on": datetime.date.fromisoformat(DAY),
                    "asker_name": ASKER,
                    "asker_sector": "education",
                    "summary": CONCERN,
                    "advice": "Matrix advice.",
                    "outcome": "referral_advised",
                },
            )
            referral = rf.submitted(world, referrer=people["referrer"])
            clients = _clients(people)
            yield Setup(people, clients, consultation, str(referral.pk))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _body(setup: Setup, endpoint: Endpoint, world_la: str) -> dict:
    if endpoint.template.endswith("/link/"):
        return {"referral": setup.referral_id}
    return {
        "local_authority": world_la,
        "consulted_on": DAY,
        "consulted_on_0": DAY[8:],
        "consulted_on_1": DAY[5:7],
        "consulted_on_2": DAY[:4],
        "asker_name": "Matrix asker",
        "asker_sector": "health",
        "summary": "Matrix concern.",
        "advice": "Matrix changed advice.",
        "outcome": "no_referral_needed",
        "version": "",
    }


def _call(client: Client, endpoint: Endpoint, method: str, url: str, body: dict):
    if method == "GET":
        return client.get(url)
    if endpoint.api:
        body = {k: v for k, v in body.items() if not k.startswith("consulted_on_")}
        body.pop("version", None)
        return client.generic(method, url, json.dumps(body), content_type="application/json")
    return client.post(url, body)


def _fingerprint() -> tuple:
    return tuple(Consultation.objects.order_by("pk").values_list("pk", "version", "advice"))


def _expected(person: str, endpoint: Endpoint) -> set[int]:
    names_one = "{pk}" in endpoint.template or "{id}" in endpoint.template
    person = person.split(TOKEN)[0]
    if person in SIGNED_OUT:
        return {401} if endpoint.api else {302}
    if names_one:
        return {404}
    if person in ("officer_other_force", "prevent_lead_other_la"):
        # Their own list (without it); recording for a borough not theirs: 400.
        return {200, 400}
    return {403}


def test_every_consultation_endpoint_is_in_the_matrix():
    names = {key.split(" ", 1)[1] for key in ENDPOINTS}
    assert {
        "page:consultations:list",
        "page:consultations:new",
        "page:consultations:detail",
        "page:consultations:edit",
        "page:consultations:link",
    } <= names
    api = {
        (endpoint.methods[0], endpoint.template)
        for endpoint, _m in ENDPOINTS.values()
        if endpoint.api
    }
    assert {
        ("GET", "/api/v1/consultations/"),
        ("POST", "/api/v1/consultations/"),
        ("GET", "/api/v1/consultations/{id}/"),
        ("PATCH", "/api/v1/consultations/{id}/"),
        ("POST", "/api/v1/consultations/{id}/link/"),
    } <= api


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_read_and_change_a_consultation(setup, db, settings, person):
    for name, value in LONG_SESSIONS.items():
        setattr(settings, name, value)
    la = str(setup.consultation.local_authority_id)
    failures, cells = [], Counter()
    for actor in (person, person + TOKEN):
        client = setup.clients[actor]
        for key, (endpoint, method) in ENDPOINTS.items():
            if client.token and not endpoint.api:
                continue
            url = endpoint.fill(
                {"pk": str(setup.consultation.pk), "id": str(setup.consultation.pk)}
            )
            before = _fingerprint()
            with transaction.atomic():
                response = _call(client, endpoint, method, url, _body(setup, endpoint, la))
                after = _fingerprint()
                transaction.set_rollback(True)
            cells["full" if person in FULL else "refused"] += 1
            label = f"{actor} × {key}"
            if person in FULL:
                succeeded = (200, 201, 302)
                if person == "prevent_lead" and "link" in key:
                    # Linking needs a referral the linker sees in full; a Prevent lead sees
                    # the case only coarsely before Channel, so the API refuses it (400).
                    succeeded = (200, 302) if not endpoint.api else (400,)
                if response.status_code not in succeeded:
                    failures.append(f"{label}: {response.status_code}, expected success")
                continue
            if response.status_code not in _expected(actor, endpoint):
                failures.append(
                    f"{label}: {response.status_code}, expected {_expected(actor, endpoint)}"
                )
            body = response.content.decode("utf-8", "replace")
            if ASKER in body or CONCERN in body:
                failures.append(f"{label}: the answer shows the consultation")
            if before != after:
                failures.append(f"{label}: a consultation changed")
    add("Consultation matrix cells (role × endpoint)", sum(cells.values()))
    assert not failures, "\n".join(failures)
