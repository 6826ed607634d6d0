"""The officer's "Record a referral" pages and the area contacts on the referral pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from referrals import services
from referrals.choices import ReceivedVia
from referrals.models import Referral
from tests.referrals import factories as f
from tests.referrals.test_views import SECTION_ANSWERS

RECORD = reverse("referrals:record")


@pytest.fixture
def contacts(world):
    world.la_a.prevent_phone = "01632 960 100"
    world.la_a.prevent_email = "prevent@northbridge.example.gov.uk"
    world.la_a.advice_line = "01632 960 101"
    world.la_a.out_of_hours = "Emergency duty team: 01632 960 199"
    world.la_a.save()
    world.force.prevent_phone = "020 7946 0100"
    world.force.save()
    return world


def _record_form(**overrides) -> dict:
    earlier = timezone.localtime() - datetime.timedelta(hours=2)
    form = {
        "received_via": "phone",
        "received_on_0": str(earlier.day),
        "received_on_1": str(earlier.month),
        "received_on_2": str(earlier.year),
        "received_time": earlier.strftime("%H:%M"),
        "contact_name": "Sam Parent",
        "contact_organisation": "",
        "contact_sector": "friends_and_family",
        "contact_phone": "01632 960 123",
        "contact_email": "sam.parent@example.com",
    }
    form.update(overrides)
    return form


def test_officer_records_a_referral_then_answers_the_same_sections(world, contacts, client):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    client.force_login(officer)
    page = client.get(RECORD)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Record a referral" in html
    assert "01632 960 100" in html
    assert "0800 789 321" in html
    response = client.post(RECORD, _record_form())
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:task_list", args=[referral.pk])
    assert (referral.received_via, referral.keyed_by) == (ReceivedVia.PHONE, officer)
    assert referral.contact_name == "Sam Parent"
    task_list = client.get(response["Location"]).content.decode()
    assert "About you" not in task_list
    you = reverse("referrals:section", args=[referral.pk, "you"])
    assert client.get(you).status_code == 404
    for slug, answers in SECTION_ANSWERS.items():
        if slug == "you":
            continue
        if slug == "address":
            answers = {**answers, "local_authority": str(world.la_a.pk)}
        url = reverse("referrals:section", args=[referral.pk, slug])
        assert client.post(url, answers).status_code == 302, slug
    check = client.get(reverse("referrals:check", args=[referral.pk])).content.decode()
    assert "How the referral was received" in check
    assert "Sam Parent" in check
    sent = client.post(reverse("referrals:check", args=[referral.pk]))
    assert sent["Location"] == reverse("referrals:confirmation", args=[referral.pk])
    done = client.get(sent["Location"]).content.decode()
    assert "We have e-mailed the person who raised the concern" in done
    assert "01632 960 100" in done
    referral.refresh_from_db()
    assert referral.state == "submitted"
    queue = client.get(reverse("referrals:queue")).content.decode()
    assert referral.reference in queue
    assert "Friends and family · Phone" in queue


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_via": ""}, "Select how the referral was received"),
        ({"received_via": "online"}, "Select a valid choice"),
        ({"contact_sector": ""}, "Select the referrer’s sector"),
        ({"contact_name": ""}, "Enter the referrer’s name"),
        ({"received_time": "25:00"}, "Enter the time received as hours and minutes"),
        ({"received_on_0": "31", "received_on_1": "2"}, "must be a real date"),
        ({"contact_email": "nope"}, "Enter an e-mail address"),
        ({"contact_phone": "ring me"}, "Enter a phone number"),
    ],
)
def test_bad_answers_show_messages_and_save_nothing(world, client, overrides, message):
    client.force_login(world.user(Role.PREVENT_OFFICER, agency=world.police_a))
    response = client.post(RECORD, _record_form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not Referral.objects.exists()


def test_each_error_links_to_the_first_input_of_its_field(world, client):
    client.force_login(world.user(Role.PREVENT_OFFICER, agency=world.police_a))
    form = _record_form(received_via="", contact_sector="", received_on_0="", received_time="")
    html = client.post(RECORD, form).content.decode()
    for anchor in ("id_received_via_1", "id_contact_sector_1", "id_received_on_0"):
        assert f'href="#{anchor}"' in html
        assert f'id="{anchor}"' in html
    assert 'href="#id_received_time"' in html


def test_a_time_in_the_future_is_refused(world, client):
    client.force_login(world.user(Role.PREVENT_OFFICER, agency=world.police_a))
    later = timezone.localtime() + datetime.timedelta(days=2)
    form = _record_form(
        received_on_0=str(later.day), received_on_1=str(later.month), received_on_2=str(later.year)
    )
    response = client.post(RECORD, form)
    assert response.status_code == 400
    assert "must be now or in the past" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PREVENT_OFFICER, 200),
        (Role.PREVENT_LEAD, 200),
        (Role.REFERRER, 403),
        (Role.AGENCY_LEAD, 403),
        (Role.CHANNEL_CHAIR, 403),
        (Role.BOROUGH_LEAD, 403),
        (Role.PANEL_MEMBER, 403),
        (Role.INTERVENTION_PROVIDER, 403),
        (Role.SYSTEM_ADMIN, 403),
    ],
)
def test_who_may_open_the_record_page(world, client, role, status):
    client.force_login(world.user(role, agency=world.council_a))
    assert client.get(RECORD).status_code == status
    response = client.post(RECORD, _record_form())
    assert response.status_code == (302 if status == 200 else 403)


def test_start_urgent_and_confirmation_show_the_area_s_contacts(world, contacts, client):
    referrer = f.referrer_for(world)
    client.force_login(referrer)
    start = client.get(reverse("referrals:start")).content.decode()
    assert "Who to contact in Northbridge" in start
    assert "01632 960 100" in start
    assert "020 7946 0100" in start
    assert "0800 789 321" in start
    referral = f.draft(world, referrer=referrer, immediate_risk=True)
    urgent = client.get(reverse("referrals:urgent", args=[referral.pk])).content.decode()
    assert "01632 960 101" in urgent
    assert "Emergency duty team: 01632 960 199" in urgent
    services.referral_transition(referral_id=referral.pk, name="submit", actor=referrer)
    done = client.get(reverse("referrals:confirmation", args=[referral.pk])).content.decode()
    assert "prevent@northbridge.example.gov.uk" in done


def test_the_contacts_follow_the_person_s_area_not_the_referrer_s(world, client):
    world.la_b.prevent_phone = "01632 960 200"
    world.la_b.save()
    referrer = f.referrer_for(world)
    client.force_login(referrer)
    referral = f.draft(world, referrer=referrer, subject={"local_authority": world.la_b})
    services.referral_transition(referral_id=referral.pk, name="submit", actor=referrer)
    done = client.get(reverse("referrals:confirmation", args=[referral.pk])).content.decode()
    assert "Who to contact in Southmere" in done
    assert "01632 960 200" in done


def test_a_prevent_lead_reads_their_area_s_referrals_without_the_contact(world, client):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    referral = services.referral_start_on_behalf(
        actor=officer,
        received_via="letter",
        received_at=timezone.now() - datetime.timedelta(days=3),
        referrer_contact={"name": "Qxwriter Person", "sector": "member_of_public"},
        data=f.complete_form(referrer_phone=""),
    )
    services.referral_transition(referral_id=referral.pk, name="submit", actor=officer)
    lead = world.user(Role.PREVENT_LEAD, agency=world.council_a)
    client.force_login(lead)
    mine = client.get(reverse("referrals:mine")).content.decode()
    assert "Referrals in your area" in mine
    assert referral.reference in mine
    summary = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Letter" in summary
    assert "Qxwriter" not in summary


def test_the_record_page_lists_the_officer_s_unfinished_referrals_and_audits_it(world, client):
    from tests.helpers import audit_actions

    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    client.force_login(officer)
    client.post(RECORD, _record_form())
    draft = Referral.objects.get()
    someone_elses = services.referral_start_on_behalf(
        actor=world.user(Role.PREVENT_OFFICER, agency=world.police_a),
        received_via="email",
        received_at=timezone.now() - datetime.timedelta(hours=1),
        referrer_contact={"name": "Other", "sector": "health"},
    )
    html = client.get(RECORD).content.decode()
    assert "Your unfinished referrals" in html
    assert draft.reference in html
    assert someone_elses.reference not in html
    assert "referral.list_viewed" in audit_actions()
