import pytest

from accounts.models import Role


def test_users_lists_own_authority_and_force_officers_only(client, world):
    chair = world.user(Role.CHANNEL_CHAIR, agency=world.council_a)
    colleague = world.user(Role.PANEL_MEMBER, agency=world.health_a)
    officer_same_force = world.user(Role.PREVENT_OFFICER, agency=world.council_b)
    teacher_b = world.user(Role.REFERRER, agency=world.school_b)
    officer_other_force = world.user(Role.PREVENT_OFFICER, agency=world.police_c)
    client.force_login(chair)
    body = client.get("/api/v1/users/").json()
    ids = {row["id"] for row in body["results"]}
    assert {str(chair.pk), str(colleague.pk), str(officer_same_force.pk)} <= ids
    assert str(teacher_b.pk) not in ids
    assert str(officer_other_force.pk) not in ids
    assert set(body) == {"count", "next", "previous", "results"}
    row = next(r for r in body["results"] if r["id"] == str(colleague.pk))
    assert row == {
        "id": str(colleague.pk),
        "username": colleague.username,
        "name": colleague.get_full_name(),
        "agency": "Northbridge Health",
        "roles": ["panel_member"],
    }


def test_users_filter_by_role(client, world):
    chair = world.user(Role.CHANNEL_CHAIR, agency=world.council_a)
    member = world.user(Role.PANEL_MEMBER, agency=world.health_a)
    client.force_login(chair)
    rows = client.get("/api/v1/users/?role=panel_member").json()["results"]
    assert [r["id"] for r in rows] == [str(member.pk)]
    unknown = client.get("/api/v1/users/?role=nonsense")
    assert unknown.status_code == 400  # named, not answered with nobody (issue 23)
    assert "role" in unknown.json()["errors"]


def test_user_without_agency_sees_nobody(client, world):
    world.user(Role.REFERRER)
    lonely = world.user(Role.CHANNEL_CHAIR, agency=None)
    lonely.agency = None
    lonely.save()
    client.force_login(lonely)
    assert client.get("/api/v1/users/").json()["count"] == 0


def test_local_authorities_are_listed_for_everyone_signed_in(client, world):
    client.force_login(world.user(Role.REFERRER))
    rows = client.get("/api/v1/local-authorities/").json()["results"]
    assert {r["name"] for r in rows} == {"Northbridge", "Southmere", "Westford"}
    assert set(rows[0]) == {"id", "name", "police_force"}


def _listed(client, user) -> set[str]:
    client.force_login(user)
    body = client.get("/api/v1/users/").json()
    assert body["count"] == len(body["results"])
    return {row["id"] for row in body["results"]}


def test_users_a_chair_sees_the_people_it_invites_or_allocates_not_every_colleague(client, world):
    """A list of colleagues' usernames is a list of accounts to lock out (issue 13)."""
    chair = world.user(Role.CHANNEL_CHAIR, agency=world.council_a)
    member = world.user(Role.PANEL_MEMBER, agency=world.health_a)
    provider = world.user(Role.INTERVENTION_PROVIDER, agency=world.community_a)
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    teacher = world.user(Role.REFERRER, agency=world.school_a)
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    admin_user = world.user(Role.SYSTEM_ADMIN, agency=world.council_a)
    member_b = world.user(Role.PANEL_MEMBER, agency=world.council_b)
    gone = world.user(Role.PANEL_MEMBER, agency=world.health_a, is_active=False)
    ids = _listed(client, chair)
    assert ids == {str(u.pk) for u in (chair, member, provider, officer)}
    for hidden in (teacher, lead, admin_user, member_b, gone):
        assert str(hidden.pk) not in ids


def test_users_an_officer_sees_the_forces_officers_only(client, world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    officer_b = world.user(Role.PREVENT_OFFICER, agency=world.council_b)
    world.user(Role.PREVENT_OFFICER, agency=world.police_c)
    world.user(Role.CHANNEL_CHAIR, agency=world.council_a)
    world.user(Role.REFERRER, agency=world.school_a)
    assert _listed(client, officer) == {str(officer.pk), str(officer_b.pk)}


@pytest.mark.parametrize(
    "role",
    [
        Role.REFERRER,
        Role.AGENCY_LEAD,
        Role.PANEL_MEMBER,
        Role.INTERVENTION_PROVIDER,
        Role.BOROUGH_LEAD,
        Role.SYSTEM_ADMIN,
    ],
)
def test_users_every_other_role_sees_only_themselves(client, world, role):
    world.user(Role.CHANNEL_CHAIR, agency=world.council_a)
    world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    world.user(Role.PANEL_MEMBER, agency=world.health_a)
    me = world.user(role, agency=world.council_a)
    assert _listed(client, me) == {str(me.pk)}
