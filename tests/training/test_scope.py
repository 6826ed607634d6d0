"""Who sees what: a role × operation table over pages and API, including other boroughs.

An agency lead never sees another agency's records; a borough lead never sees another local
authority's. Out of scope answers 404; a visible record someone may not change answers 403.
"""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import Role
from tests.training.factories import CurrentRecordFactory, StaffMemberFactory
from training.selectors import (
    records_visible_to,
    staff_visible_to,
    training_agencies_visible_to,
)

PDF = b"%PDF-1.4\n%%EOF\n"


@dataclass
class Actor:
    name: str
    roles: tuple
    agency: str  # attribute of the world fixture
    active: bool = True


ACTORS = [
    Actor("own agency lead", (Role.AGENCY_LEAD,), "school_a"),
    Actor("lead of another agency, same borough", (Role.AGENCY_LEAD,), "health_a"),
    Actor("lead in another borough", (Role.AGENCY_LEAD,), "school_b"),
    Actor("borough lead", (Role.BOROUGH_LEAD,), "council_a"),
    Actor("borough lead of another borough", (Role.BOROUGH_LEAD,), "council_b"),
    Actor("borough lead in another force", (Role.BOROUGH_LEAD,), "council_c"),
    Actor("referrer in the same agency", (Role.REFERRER,), "school_a"),
    Actor("prevent officer", (Role.PREVENT_OFFICER,), "police_a"),
    Actor("channel chair", (Role.CHANNEL_CHAIR,), "council_a"),
    Actor("panel member", (Role.PANEL_MEMBER,), "council_a"),
    Actor("intervention provider", (Role.INTERVENTION_PROVIDER,), "community_a"),
    Actor("system admin", (Role.SYSTEM_ADMIN,), "council_a"),
    Actor("inactive own agency lead", (Role.AGENCY_LEAD,), "school_a", active=False),
]

# operation -> expected status per actor (by name); anything not listed expects `default`.
OPERATIONS = {
    "record_detail": ({"own agency lead": 200, "borough lead": 200}, 404),
    "certificate": ({"own agency lead": 200, "borough lead": 200}, 404),
    "record_edit": ({"own agency lead": 200, "borough lead": 403}, 404),
    "record_delete": ({"own agency lead": 200, "borough lead": 403}, 404),
    "dashboard": (
        {
            "own agency lead": 200,
            "lead of another agency, same borough": 200,
            "lead in another borough": 200,
            "borough lead": 200,
            "borough lead of another borough": 200,
            "borough lead in another force": 200,
        },
        403,
    ),
    "record_create": (
        {
            "own agency lead": 200,
            "lead of another agency, same borough": 200,
            "lead in another borough": 200,
        },
        403,
    ),
}


@pytest.fixture
def record(world):
    staff = StaffMemberFactory(agency=world.school_a)
    record = CurrentRecordFactory(staff=staff)
    record.certificate.save("certificate.pdf", ContentFile(PDF))
    record.certificate_content_type = "application/pdf"
    record.save()
    return record


def make(world, actor: Actor):
    user = world.user(*actor.roles, agency=getattr(world, actor.agency))
    if not actor.active:
        user.is_active = False
        user.save()
    return user


def url_for(operation: str, record) -> str:
    if operation in ("dashboard", "record_create"):
        return reverse(f"training:{operation}")
    return reverse(f"training:{operation}", args=[record.pk])


@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.name)
def test_pages(client, world, record, actor):
    client.force_login(make(world, actor))
    for operation, (expected, default) in OPERATIONS.items():
        status = expected.get(actor.name, default)
        if not actor.active:
            status = 302  # signed out: back to the sign-in page
        response = client.get(url_for(operation, record))
        assert response.status_code == status, (operation, actor.name, response.status_code)


@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.name)
def test_lists_api_and_exports_agree(client, world, record, actor):
    """Every list, the API and the export come from the same selector."""
    user = make(world, actor)
    visible = {str(pk) for pk in records_visible_to(user).values_list("pk", flat=True)}
    sees_it = actor.name in ("own agency lead", "borough lead")
    assert (str(record.pk) in visible) is sees_it
    client.force_login(user)
    api = client.get("/api/v1/training/records/")
    if not actor.active:
        assert api.status_code in (401, 403)
        return
    assert {row["id"] for row in api.json()["results"]} == visible
    export = client.get(reverse("training:records_export", args=["csv"]))
    if export.status_code == 200:
        text = b"".join(export.streaming_content).decode("utf-8-sig")
        assert (record.staff.email in text) is sees_it
    else:
        assert export.status_code == 403
        assert not visible


def test_selectors_scope(world, record):
    borough_b = world.user(Role.BOROUGH_LEAD, agency=world.council_b)
    StaffMemberFactory(agency=world.school_b)
    assert set(training_agencies_visible_to(borough_b)) == {world.school_b, world.council_b}
    assert [s.agency for s in staff_visible_to(borough_b)] == [world.school_b]
    both = world.user(Role.AGENCY_LEAD, Role.BOROUGH_LEAD, agency=world.council_b)
    assert set(training_agencies_visible_to(both)) == {world.school_b, world.council_b}
    nobody = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    nobody.agency = None
    nobody.save()
    assert not training_agencies_visible_to(nobody).exists()


def test_api_compliance_is_per_agency_of_scope(client, world, record):
    client.force_login(world.user(Role.BOROUGH_LEAD, agency=world.council_b))
    body = client.get("/api/v1/training/compliance/").json()
    names = {row["agency_name"] for row in body["results"]}
    assert names == {"Southmere School", "Southmere Council"}
