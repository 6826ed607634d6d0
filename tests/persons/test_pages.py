"""The person page and the link and unlink pages (issue 18), as each role may see them."""

import datetime

from django.urls import reverse

from accounts.models import Role
from persons.models import PersonLink
from referrals.models import Referral
from tests.referrals import factories as f

HOME = {
    "address": "12 Mill Lane",
    "postcode": "NB1 2AA",
    "date_of_birth": datetime.date(2007, 4, 3),
}


def _pair(world, officer):
    earlier = f.police_assessment(
        world, officer=officer, subject={"first_name": "Amie", "last_name": "Browne", **HOME}
    )
    ours = f.police_assessment(
        world, officer=officer, subject={"first_name": "Amy", "last_name": "Browser", **HOME}
    )
    return Referral.objects.get(pk=earlier.pk), Referral.objects.get(pk=ours.pk)


def test_an_officer_links_from_the_case_page_then_sees_the_person_and_unlinks(world, client):
    officer = f.officer_for(world)
    earlier, ours = _pair(world, officer)
    client.force_login(officer)
    page = client.get(reverse("referrals:detail", args=[ours.pk])).content.decode()
    url = reverse("persons:link", args=[ours.pk, earlier.person_id])
    assert url in page
    assert client.get(url).status_code == 200
    answer = client.post(url, {"decision": "same", "reason": ""})
    assert answer.status_code == 400
    assert "Give the reason for this decision" in answer.content.decode()
    answer = client.post(url, {"decision": "same", "reason": "Same school and mother."})
    assert answer.status_code == 302
    assert Referral.objects.get(pk=ours.pk).person_id == earlier.person_id

    person = client.get(reverse("persons:detail", args=[earlier.person_id])).content.decode()
    assert earlier.reference in person
    assert ours.reference in person
    assert person.index(earlier.reference) < person.index(ours.reference)  # time order
    assert "Amy Browser" in person

    unlink = reverse("persons:unlink", args=[ours.pk])
    assert client.post(unlink, {"reason": "Cousins."}).status_code == 302
    assert Referral.objects.get(pk=ours.pk).person_id != earlier.person_id
    assert [link.action for link in PersonLink.objects.filter(referral=ours)] == [
        "linked",
        "unlinked",
    ]


def test_no_is_recorded_as_not_the_same_person(world, client):
    officer = f.officer_for(world)
    earlier, ours = _pair(world, officer)
    client.force_login(officer)
    url = reverse("persons:link", args=[ours.pk, earlier.person_id])
    assert (
        client.post(url, {"decision": "not_same", "reason": "Different mother."}).status_code == 302
    )
    assert PersonLink.objects.get(referral=ours).action == "rejected"
    page = client.get(reverse("referrals:detail", args=[ours.pk])).content.decode()
    assert "marked as not the same person" in page


def test_the_person_page_is_404_for_anyone_who_may_not_link_its_referrals(world, client):
    officer = f.officer_for(world)
    earlier, _ours = _pair(world, officer)
    url = reverse("persons:detail", args=[earlier.person_id])
    for reader in (
        f.officer_for(world, agency=world.police_c),
        f.chair_for(world),  # not a Channel case
        earlier.referrer,
        world.user(Role.BOROUGH_LEAD, agency=world.council_a),
        world.user(Role.PANEL_MEMBER, agency=world.council_a),
    ):
        client.force_login(reader)
        assert client.get(url).status_code == 404, reader.roles
        link = reverse("persons:link", args=[_ours.pk, earlier.person_id])
        assert client.get(link).status_code in (403, 404), reader.roles


def test_a_transfer_through_the_pages(world, client):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    client.force_login(officer)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    url = reverse("persons:transfer", args=[referral.pk])
    assert url in page
    assert client.post(url, {"to_local_authority": "", "reason": ""}).status_code == 400
    answer = client.post(url, {"to_local_authority": str(world.la_c.pk), "reason": "Moved."})
    assert answer.status_code == 302
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Transfer waiting for the receiving area" in page

    receiving = f.officer_for(world, agency=world.police_c)
    client.force_login(receiving)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    waiting = client.get(reverse("persons:transfers")).content.decode()
    assert referral.reference in waiting
    assert referral.subject.last_name not in waiting  # the case is not theirs yet
    answer = client.post(reverse("persons:transfer_accept", args=[referral.pk]))
    assert answer.status_code == 302
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    client.force_login(officer)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404


def test_declining_a_transfer_through_the_pages(world, client):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    client.force_login(officer)
    client.post(
        reverse("persons:transfer", args=[referral.pk]),
        {"to_local_authority": str(world.la_c.pk), "reason": "Moved."},
    )
    client.force_login(f.officer_for(world, agency=world.police_c))
    url = reverse("persons:transfer_decline", args=[referral.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Not at that address."}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).local_authority_id == world.la_a.pk
    client.force_login(f.officer_for(world, agency=world.police_c))
    assert client.get(url).status_code == 404  # nothing waits, and the case is not theirs


def test_the_case_page_offers_the_transfer_steps_its_reader_may_take(world, client):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    case = reverse("referrals:detail", args=[referral.pk])
    accept = reverse("persons:transfer_accept", args=[referral.pk])
    client.force_login(referral.referrer)
    assert reverse("persons:transfer", args=[referral.pk]) not in client.get(case).content.decode()
    client.force_login(officer)
    client.post(
        reverse("persons:transfer", args=[referral.pk]),
        {"to_local_authority": str(world.la_b.pk), "reason": "Moved to Southmere."},
    )
    page = client.get(case).content.decode()
    assert "Withdraw the request" in page
    assert "Accept the transfer" in page  # same force: its officers receive it
    chair = f.chair_for(world)
    client.force_login(chair)
    assert accept not in client.get(case).content.decode()
    colleague = f.officer_for(world, agency=f.AgencyFactory(local_authority=world.la_b))
    client.force_login(colleague)
    assert accept in client.get(case).content.decode()
    assert client.post(accept).status_code == 302
    assert Referral.objects.get(pk=referral.pk).local_authority_id == world.la_b.pk
