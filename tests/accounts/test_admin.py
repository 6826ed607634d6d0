from accounts.models import Role
from referrals.selectors import referrals_visible_to
from tests.referrals import factories as f


def test_system_admin_manages_people_and_organisations(client, world):
    admin_user = world.user(Role.SYSTEM_ADMIN, agency=world.council_a, is_staff=True)
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/agency/add/").status_code == 200


def test_other_roles_are_sent_to_sign_in_from_admin(client, world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a, is_staff=True)
    client.force_login(officer)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302


def test_system_admin_sees_no_cases(world):
    f.direct(f.SubmittedFactory, world)
    admin_user = world.user(Role.SYSTEM_ADMIN, agency=world.police_a)
    assert referrals_visible_to(admin_user).count() == 0


def test_admin_has_no_case_screens(client, world):
    admin_user = world.user(Role.SYSTEM_ADMIN, agency=world.council_a, is_staff=True)
    client.force_login(admin_user)
    assert client.get("/admin/referrals/referral/").status_code == 404
