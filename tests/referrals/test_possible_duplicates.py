"""Possible earlier referrals name only cases the reader may open (issue 13, Scope).

The case page lists earlier referrals of (probably) the same person. Each one it names comes
from the reader's visible set, with the stage the reader may see on it; a Prevent officer is
told only that a match exists in another force area and whom to ask.
"""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from accounts.models import Role
from referrals.selectors import referral_possible_duplicates
from tests.referrals import factories as f

DOB = datetime.date(2008, 3, 27)


def _person(**extra) -> dict:
    return {"first_name": "Idris", "last_name": "Penhaligon", "date_of_birth": DOB, **extra}


def test_a_chair_is_not_shown_a_match_of_another_local_authority(world, client):
    officer = f.officer_for(world)
    ours = f.channel_panel(world, officer=officer, subject=_person())
    theirs = f.channel_panel(world, officer=officer, subject=_person(local_authority=world.la_b.pk))
    assert theirs.local_authority_id == world.la_b.pk
    chair = f.chair_for(world)
    client.force_login(chair)
    page = client.get(reverse("referrals:detail", args=[ours.pk])).content.decode()
    assert theirs.reference not in page
    assert reverse("referrals:detail", args=[theirs.pk]) not in page
    assert "Possible earlier referrals" not in page
    assert not referral_possible_duplicates(chair, ours)
    # The officer of the force may open both, and is shown the match.
    client.force_login(officer)
    page = client.get(reverse("referrals:detail", args=[ours.pk])).content.decode()
    assert reverse("referrals:detail", args=[theirs.pk]) in page


def test_an_officer_is_told_only_whom_to_ask_about_another_force_s_match(world, client):
    officer = f.officer_for(world)
    ours = f.submitted(world, subject=_person())
    elsewhere = f.police_assessment(
        world,
        officer=f.officer_for(world, agency=world.police_c),
        subject=_person(first_name="Idriss", local_authority=world.la_c.pk),
    )
    assert elsewhere.police_force_id == world.other_force.pk
    client.force_login(officer)
    page = client.get(reverse("referrals:detail", args=[ours.pk])).content.decode()
    assert (
        "A possible earlier referral exists in another area. Ask the Prevent team of "
        "Thames Valley Police." in page
    )
    for identifying in (elsewhere.reference, reverse("referrals:detail", args=[elsewhere.pk])):
        assert identifying not in page, identifying
    section = page.split("Possible earlier referrals of the same person", 1)[1]
    section = section.split("</ul>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.DOTALL)
    assert items == [
        "A possible earlier referral exists in another area. Ask the Prevent team of "
        "Thames Valley Police."
    ]  # no name, date or stage
    found = referral_possible_duplicates(officer, ours)
    assert (found.matches, found.other_areas) == ([], ["Thames Valley Police"])


def test_a_match_seen_coarsely_shows_its_coarse_status_not_its_stage(world, client):
    """A chair who also referred the person elsewhere sees that referral as its referrer."""
    chair = world.user(Role.CHANNEL_CHAIR, Role.REFERRER, agency=world.council_a)
    officer = f.officer_for(world)
    ours = f.channel_panel(world, officer=officer, subject=_person())
    referred = f.police_led(
        world, officer=officer, referrer=chair, subject=_person(local_authority=world.la_b.pk)
    )
    client.force_login(chair)
    page = client.get(reverse("referrals:detail", args=[ours.pk])).content.decode()
    section = page.split("Possible earlier referrals of the same person", 1)[1]
    section = section.split("</ul>", 1)[0]
    assert referred.reference in section
    assert "Being assessed" in section
    assert "Police-led" not in section
    found = referral_possible_duplicates(chair, ours)
    assert [m.referral.pk for m in found.matches] == [referred.pk]
    assert found.matches[0].stage == "Being assessed"
    assert found.other_areas == []  # chairs are never told of cases they may not open
