"""What every request reads of its user comes in the user's own query (issues 14 and 25).

The scope rules read the user's agency, local authority, force and roles on every page and
API call, and a case looked up by its id reads the reader's break-glass grants. Each was a
round trip of its own before a page did any work; now the user comes with all of it
(``accounts.selectors.users_signing_in``) and a case's look-up asks for the grants in its own
query (``referrals.selectors.referrals_visible_to(by_id=True)``). The access matrix and the
break-glass tests prove who sees what; these prove the round trips are gone and that a change
of roles still counts at once.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Role, User
from accounts.selectors import users_signing_in
from accounts.services import user_access_set
from tests.referrals import factories as rf

pytestmark = pytest.mark.postgres


def _tables_read(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


@pytest.fixture
def officer_elsewhere(world):
    """A Prevent officer of another force: every case of force 1 answers them 404."""
    return world.user(Role.PREVENT_OFFICER, agency=world.police_c)


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_case_out_of_scope_reads_no_role_or_grant_on_its_own(world, officer_elsewhere, via):
    referral = rf.AssessedFactory(referrer=rf.referrer_for(world))
    if via == "page":
        client = Client()
        client.force_login(officer_elsewhere)
        url = reverse("referrals:detail", args=[referral.pk])
    else:
        key = Token.objects.create(user=officer_elsewhere).key
        client = Client(headers={"Authorization": f"Token {key}"})
        url = f"/api/v1/referrals/{referral.pk}/"
    client.get(url)  # the first page of a session may write its activity
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 404
    sql = _tables_read(captured)
    alone = [q for q in sql if q.lstrip().startswith('SELECT "accounts_rolegrant"')]
    glass = [q for q in sql if q.lstrip().startswith('SELECT "referrals_breakglassgrant"')]
    assert not alone, "roles read in a query of their own"
    assert not glass, "break-glass grants read in a query of their own"
    assert any("accounts_rolegrant" in q and "accounts_user" in q for q in sql)


def test_roles_read_with_the_user_are_taken_once_then_read_again(world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    loaded = users_signing_in().get(pk=officer.pk)
    with CaptureQueriesContext(connection) as captured:
        assert loaded.roles == {Role.PREVENT_OFFICER}
    assert captured.captured_queries == []
    admin = world.user(Role.SYSTEM_ADMIN, agency=world.council_a, is_staff=True)
    user_access_set(actor=admin, user_id=loaded.pk, roles=[Role.PREVENT_OFFICER, Role.PANEL_MEMBER])
    loaded.__dict__.pop("roles", None)  # what a new request does: the grants, read again
    assert loaded.roles == {Role.PREVENT_OFFICER, Role.PANEL_MEMBER}


def test_an_inactive_users_codes_give_no_role(world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert users_signing_in().get(pk=officer.pk).roles == frozenset()
