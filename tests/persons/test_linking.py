"""Officers link a referral to a person and unlink it, with a reason; both audited, both in
the timeline; a chair links within their Channel cases (issue 18)."""

import datetime

import pytest
from django.urls import reverse

from persons import services
from persons.models import LinkAction, Person, PersonLink, PersonName
from prevent_cms.errors import ActionForbidden, Conflict, GuardFailed
from prevent_cms.models import AuditEvent
from referrals.models import Referral
from referrals.selectors import (
    referral_accesses,
    referral_linked_referrals,
    referral_possible_duplicates,
)
from referrals.timeline import Reader, timeline_entries
from tests.referrals import factories as f

HOME = {
    "address": "12 Mill Lane",
    "postcode": "NB1 2AA",
    "date_of_birth": datetime.date(2007, 4, 3),
}


def _pair(world, officer, **theirs):
    earlier = f.police_assessment(
        world, officer=officer, subject={"first_name": "Amie", "last_name": "Browne", **HOME}
    )
    ours = f.police_assessment(
        world,
        officer=officer,
        subject={"first_name": "Amy", "last_name": "Browser", **HOME, **theirs},
    )
    return Referral.objects.get(pk=earlier.pk), Referral.objects.get(pk=ours.pk)


def test_link_moves_the_case_to_the_person_and_unlink_moves_it_back(world):
    officer = f.officer_for(world)
    earlier, ours = _pair(world, officer)
    own_person = ours.person_id
    services.referral_link_person(
        referral_id=ours.pk, actor=officer, person_id=earlier.person_id, reason="Same school."
    )
    ours.refresh_from_db()
    assert ours.person_id == earlier.person_id
    assert set(
        PersonName.objects.filter(person=earlier.person_id).values_list("first_name", flat=True)
    ) == {"Amie", "Amy"}
    assert list(referral_linked_referrals(officer, ours)) == [earlier]
    assert not referral_possible_duplicates(officer, ours).matches  # history, not a candidate
    link = PersonLink.objects.get(referral=ours)
    assert (link.action, link.previous_person_id, link.reason) == (
        LinkAction.LINKED,
        own_person,
        "Same school.",
    )
    assert AuditEvent.objects.filter(
        action="referral.person_linked", object_id=str(ours.pk)
    ).exists()
    # Linking again changes nothing.
    services.referral_link_person(
        referral_id=ours.pk, actor=officer, person_id=earlier.person_id, reason="Again."
    )
    assert PersonLink.objects.filter(referral=ours).count() == 1

    services.referral_unlink_person(referral_id=ours.pk, actor=officer, reason="Twin sister.")
    ours.refresh_from_db()
    assert ours.person_id not in (earlier.person_id, None)
    assert list(
        PersonName.objects.filter(person=earlier.person_id).values_list("first_name", flat=True)
    ) == ["Amie"]
    assert not referral_linked_referrals(officer, ours).exists()
    assert AuditEvent.objects.filter(
        action="referral.person_unlinked", object_id=str(ours.pk)
    ).exists()
    with pytest.raises(Conflict):
        services.referral_unlink_person(referral_id=ours.pk, actor=officer, reason="Again.")
    entries = timeline_entries(
        Reader(officer, referral_accesses(officer, [ours])), ours, kinds=["person_link"]
    )
    assert [str(e.summary) for e in entries] == ["Unlinked from a person", "Linked to a person"]


def test_a_reason_is_required_and_only_the_case_s_officer_or_chair_links(world):
    officer = f.officer_for(world)
    earlier, ours = _pair(world, officer)
    with pytest.raises(GuardFailed):
        services.referral_link_person(
            referral_id=ours.pk, actor=officer, person_id=earlier.person_id, reason=" "
        )
    chair = f.chair_for(world)  # the case is not in Channel: the chair cannot see it
    with pytest.raises(Referral.DoesNotExist):
        services.referral_link_person(
            referral_id=ours.pk, actor=chair, person_id=earlier.person_id, reason="Same."
        )
    other_force = f.officer_for(world, agency=world.police_c)
    with pytest.raises(Referral.DoesNotExist):
        services.referral_link_person(
            referral_id=ours.pk, actor=other_force, person_id=earlier.person_id, reason="Same."
        )
    referrer = ours.referrer
    with pytest.raises(ActionForbidden):
        services.referral_link_person(
            referral_id=ours.pk, actor=referrer, person_id=earlier.person_id, reason="Same."
        )


def test_a_person_the_actor_cannot_see_cannot_be_linked_to(world):
    officer = f.officer_for(world)
    hidden = f.police_assessment(
        world,
        officer=f.officer_for(world, agency=world.police_c),
        subject={
            "first_name": "Amie",
            "last_name": "Browne",
            **HOME,
            "local_authority": world.la_c.pk,
        },
    )
    ours = f.police_assessment(world, officer=officer, subject={"first_name": "Amy", **HOME})
    hidden.refresh_from_db()
    with pytest.raises(Person.DoesNotExist):
        services.referral_link_person(
            referral_id=ours.pk, actor=officer, person_id=hidden.person_id, reason="Same."
        )


def test_a_chair_links_within_their_channel_cases(world):
    officer = f.officer_for(world)
    earlier = f.channel_panel(
        world, officer=officer, subject={"first_name": "Amie", "last_name": "Browne", **HOME}
    )
    ours = f.channel_panel(
        world, officer=officer, subject={"first_name": "Amy", "last_name": "Browser", **HOME}
    )
    police_only = f.police_assessment(
        world, officer=officer, subject={"first_name": "Amie", "last_name": "Brown", **HOME}
    )
    earlier.refresh_from_db()
    police_only.refresh_from_db()
    chair = f.chair_for(world)
    services.referral_link_person(
        referral_id=ours.pk, actor=chair, person_id=earlier.person_id, reason="Same family."
    )
    assert Referral.objects.get(pk=ours.pk).person_id == earlier.person_id
    with pytest.raises(Person.DoesNotExist):  # not a Channel case of theirs
        services.referral_link_person(
            referral_id=ours.pk, actor=chair, person_id=police_only.person_id, reason="Same."
        )


def test_not_the_same_person_is_marked_and_undone_by_a_link(world):
    officer = f.officer_for(world)
    earlier, ours = _pair(world, officer)
    services.referral_reject_match(
        referral_id=ours.pk, actor=officer, person_id=earlier.person_id, reason="Different mother."
    )
    found = referral_possible_duplicates(officer, ours)
    assert [(m.referral.pk, m.rejected) for m in found.matches] == [(earlier.pk, True)]
    assert AuditEvent.objects.filter(action="referral.person_rejected").exists()
    services.referral_link_person(
        referral_id=ours.pk, actor=officer, person_id=earlier.person_id, reason="Checked: same."
    )
    assert Referral.objects.get(pk=ours.pk).person_id == earlier.person_id


def test_the_case_page_shows_the_person_s_other_referrals_the_reader_may_see(world, client):
    officer = f.officer_for(world)
    earlier, ours = _pair(world, officer)
    services.referral_link_person(
        referral_id=ours.pk, actor=officer, person_id=earlier.person_id, reason="Same."
    )
    client.force_login(officer)
    page = client.get(reverse("referrals:detail", args=[ours.pk])).content.decode()
    section = page.split("Other referrals of this person", 1)[1].split("</ul>", 1)[0]
    assert earlier.reference in section
