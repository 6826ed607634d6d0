"""What an account may do changes only through ``accounts.services`` (issue 13).

A system administrator could grant their own account a case role in ``/admin/`` and read the
whole force, recorded only in Django's admin log. Now nobody changes their own roles,
``system_admin`` is held alone, and every change of roles, agency, active state or staff flag
is an audit event against the account (in its audit export) and a content-free e-mail to the
other system administrators.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.demo import seed_people
from accounts.models import Role, RoleGrant, User
from accounts.services import user_access_set
from prevent_cms.audit_export import audit_export_user_request
from prevent_cms.models import AuditEvent, Job
from referrals.selectors import referrals_visible_to
from tests.referrals import factories as rf

ACCESS_ACTIONS = {
    "user.roles_changed",
    "user.agency_changed",
    "user.activated",
    "user.deactivated",
    "user.staff_changed",
}


@pytest.fixture
def admin_user(world):
    return world.user(
        Role.SYSTEM_ADMIN, agency=world.council_a, is_staff=True, email="ada@example.gov.uk"
    )


@pytest.fixture
def other_admin(world):
    return world.user(
        Role.SYSTEM_ADMIN, agency=world.council_b, is_staff=True, email="bo@example.gov.uk"
    )


def _roles(user) -> set[str]:
    return set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))


def _change_form(user: User, *, roles, **changes) -> dict:
    """The admin change form as a browser posts it, plus the role inline it used to have
    (so the same post would have granted the role through the old screen)."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "phone": user.phone,
        "agency": str(user.agency_id or ""),
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "roles": list(roles),
        "role_grants-TOTAL_FORMS": "1",
        "role_grants-INITIAL_FORMS": "0",
        "role_grants-MIN_NUM_FORMS": "0",
        "role_grants-MAX_NUM_FORMS": "1000",
        "role_grants-0-role": next((r for r in roles if r != Role.SYSTEM_ADMIN), ""),
        "role_grants-0-user": str(user.pk),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def _post(client, user: User, data: dict):
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_an_administrator_cannot_grant_their_own_account_a_case_role(
    client, world, admin_user, django_capture_on_commit_callbacks
):
    rf.direct(rf.SubmittedFactory, world)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            admin_user,
            _change_form(admin_user, roles=[Role.SYSTEM_ADMIN, Role.PREVENT_OFFICER]),
        )
    assert response.status_code == 200
    assert "You cannot change your own roles" in response.content.decode()
    assert _roles(admin_user) == {Role.SYSTEM_ADMIN}
    fresh = User.objects.get(pk=admin_user.pk)
    assert referrals_visible_to(fresh).count() == 0
    assert not AuditEvent.objects.filter(action__in=ACCESS_ACTIONS).exists()
    assert mail.outbox == []


def test_the_service_refuses_a_self_grant_too(admin_user):
    with pytest.raises(ValidationError) as error:
        user_access_set(actor=admin_user, user_id=admin_user.pk, roles=[Role.PREVENT_OFFICER])
    assert "own roles" in str(error.value)
    assert _roles(admin_user) == {Role.SYSTEM_ADMIN}


def test_a_system_administrator_cannot_also_hold_a_case_role(client, world, admin_user):
    colleague = world.user(Role.SYSTEM_ADMIN, agency=world.council_a, is_staff=True)
    client.force_login(admin_user)
    response = _post(
        client, colleague, _change_form(colleague, roles=[Role.SYSTEM_ADMIN, Role.CHANNEL_CHAIR])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A system administrator cannot also hold a role that works with cases" in page
    assert _roles(colleague) == {Role.SYSTEM_ADMIN}

    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    with pytest.raises(ValidationError):
        user_access_set(
            actor=admin_user, user_id=officer.pk, roles=[Role.PREVENT_OFFICER, Role.SYSTEM_ADMIN]
        )
    assert _roles(officer) == {Role.PREVENT_OFFICER}


def test_every_change_of_access_is_audited_exported_and_told_to_the_other_admins(
    client, world, admin_user, other_admin, django_capture_on_commit_callbacks
):
    person = world.user(
        Role.REFERRER,
        agency=world.school_a,
        first_name="Zebedee",
        last_name="Quartermaine",
        email="zq@example.gov.uk",
    )
    world.user(Role.SYSTEM_ADMIN, agency=world.council_a, is_active=False, email="gone@x.uk")
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            person,
            _change_form(
                person,
                roles=[Role.REFERRER, Role.PANEL_MEMBER],
                agency=str(world.health_a.pk),
                is_active="",
                is_staff="on",
            ),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert _roles(person) == {Role.REFERRER, Role.PANEL_MEMBER}
    assert (person.agency_id, person.is_active, person.is_staff) == (
        world.health_a.pk,
        False,
        True,
    )

    events = {
        e.action: e
        for e in AuditEvent.objects.filter(object_type="accounts.user", object_id=str(person.pk))
    }
    assert set(events) == {
        "user.roles_changed",
        "user.agency_changed",
        "user.deactivated",
        "user.staff_changed",
    }
    assert all(e.actor_id == admin_user.pk for e in events.values())
    assert events["user.roles_changed"].detail == {
        "added": [Role.PANEL_MEMBER],
        "removed": [],
        "roles": [Role.PANEL_MEMBER, Role.REFERRER],
    }
    assert events["user.agency_changed"].detail == {
        "from": str(world.school_a.pk),
        "to": str(world.health_a.pk),
    }
    for event in events.values():
        text = str(event.detail) + event.reason
        for value in (person.username, "Zebedee", "Quartermaine", admin_user.username):
            assert value not in text

    # One content-free e-mail, to the other active administrator only.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [other_admin.email]
    assert "An administrator changed the roles of an account" in message.body
    assert "Sign in to see the audit trail" in message.body
    for value in (person.username, "Zebedee", "Quartermaine", str(person.pk), person.email):
        assert value not in message.body + message.subject
    for value in (admin_user.username, admin_user.first_name, admin_user.last_name):
        assert value not in message.body + message.subject

    # Reactivation is its own event.
    with django_capture_on_commit_callbacks(execute=True):
        user_access_set(actor=admin_user, user_id=person.pk, is_active=True)
    assert AuditEvent.objects.filter(action="user.activated", object_id=str(person.pk)).exists()

    # The auditor's export of the person's trail holds every change.
    with django_capture_on_commit_callbacks(execute=True):
        job = audit_export_user_request(actor=other_admin, user_id=person.pk, reason="Review")
    job = Job.objects.get(pk=job.pk)
    assert job.state == Job.State.DONE
    with job.result.open("rb") as result:
        rows = list(csv.DictReader(io.StringIO(result.read().decode("utf-8"))))
    exported = {row["action"] for row in rows}
    assert exported >= ACCESS_ACTIONS


def test_only_a_system_administrator_may_change_access(world):
    chair = world.user(Role.CHANNEL_CHAIR, agency=world.council_a)
    member = world.user(Role.PANEL_MEMBER, agency=world.health_a)
    with pytest.raises(PermissionDenied):
        user_access_set(actor=chair, user_id=member.pk, roles=[Role.CHANNEL_CHAIR])
    assert _roles(member) == {Role.PANEL_MEMBER}


def test_people_are_deactivated_not_deleted_in_the_admin(client, world, admin_user):
    person = world.user(Role.REFERRER)
    client.force_login(admin_user)
    assert client.get(f"/admin/accounts/user/{person.pk}/delete/").status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


def test_seed_demo_sets_roles_through_the_service(db):
    seed_people()
    admin_user = User.objects.get(username="admin")
    assert _roles(admin_user) == {Role.SYSTEM_ADMIN}
    assert admin_user.is_staff
    assert _roles(User.objects.get(username="chair-a")) == {Role.CHANNEL_CHAIR}
    seeded = AuditEvent.objects.filter(action="user.roles_changed").count()
    assert seeded == len(User.objects.filter(role_grants__isnull=False).distinct())
    seed_people()
    assert AuditEvent.objects.filter(action="user.roles_changed").count() == seeded


def test_a_role_grant_validates_that_system_admin_is_held_alone(world):
    admin_user = world.user(Role.SYSTEM_ADMIN, agency=world.council_a)
    with pytest.raises(ValidationError, match="cannot also hold a role"):
        RoleGrant(user=admin_user, role=Role.PREVENT_OFFICER).full_clean()
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    with pytest.raises(ValidationError, match="cannot also hold a role"):
        RoleGrant(user=officer, role=Role.SYSTEM_ADMIN).full_clean()
    RoleGrant(user=officer, role=Role.PANEL_MEMBER).full_clean()


def test_an_administrator_adds_a_person_then_gives_them_a_role(
    client, world, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    added = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "new-officer",
            "usable_password": "true",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    person = User.objects.get(username="new-officer")
    assert _roles(person) == set()
    with django_capture_on_commit_callbacks(execute=True):
        changed = _post(
            client,
            person,
            _change_form(person, roles=[Role.PREVENT_OFFICER], agency=str(world.police_a.pk)),
        )
    assert changed.status_code == 302
    assert _roles(person) == {Role.PREVENT_OFFICER}
    actions = set(
        AuditEvent.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    )
    assert {"user.roles_changed", "user.agency_changed"} <= actions
