"""Consultations to follow up on the officer's Today list (issue 17): a referral advised and
none linked yet, counted, linking to the list narrowed to exactly those."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.services import consultation_link, consultation_update
from tests.referrals import factories as rf

from .factories import consultation

pytestmark = pytest.mark.django_db


def _follow_up(client) -> list[dict]:
    response = client.get(reverse("api:my-work"))
    assert response.status_code == 200
    return [item for item in response.json()["items"] if item["kind"] == "consultation_follow_up"]


def test_a_referral_advised_and_not_linked_is_to_follow_up_until_linked_or_resolved(client, world):
    officer = rf.officer_for(world)
    day = timezone.localdate()
    oldest = consultation(officer, consulted_on=day - datetime.timedelta(days=20))
    later = consultation(officer, world.la_b, consulted_on=day - datetime.timedelta(days=3))
    consultation(officer, outcome="no_referral_needed")
    consultation(officer, outcome="referred_elsewhere", referred_to="mash")
    elsewhere = rf.officer_for(world, agency=world.police_c)
    consultation(elsewhere)  # another force's: not this officer's to follow up
    client.force_login(officer)

    (line,) = _follow_up(client)
    assert line["count"] == 2
    assert line["label"].startswith("2 consultations to follow up")
    assert f"{oldest.consulted_on:%-d %B %Y}" in line["label"]
    for private in ("Alex Morgan", "JD", "Northbridge Academy"):
        assert private not in line["label"]
    assert line["url"].endswith(reverse("consultations:list") + "?follow_up=on")

    listed = client.get(line["url"])
    assert listed.status_code == 200
    rows = list(listed.context["page"].object_list)
    assert rows == [later, oldest]

    page = client.get(reverse("home")).content.decode()
    assert "2 consultations to follow up" in page

    referral = rf.InPoliceAssessmentFactory(referrer=rf.referrer_for(world))
    consultation_link(consultation_id=oldest.pk, actor=officer, reference=referral.reference)
    (line,) = _follow_up(client)
    assert line["count"] == 1
    assert line["label"].startswith("1 consultation to follow up")

    consultation_update(
        consultation_id=later.pk, actor=officer, data={"outcome": "no_referral_needed"}
    )
    assert _follow_up(client) == []
    assert "to follow up" not in client.get(reverse("home")).content.decode()


def test_a_linked_consultation_changed_back_to_referral_advised_is_not_followed_up(client, world):
    officer = rf.officer_for(world)
    advised = consultation(officer)
    referral = rf.InPoliceAssessmentFactory(referrer=rf.referrer_for(world))
    consultation_link(consultation_id=advised.pk, actor=officer, reference=referral.reference)
    consultation_update(
        consultation_id=advised.pk, actor=officer, data={"outcome": "referral_advised"}
    )
    client.force_login(officer)
    assert _follow_up(client) == []
    listed = client.get(reverse("consultations:list"), {"follow_up": "on"})
    assert list(listed.context["page"].object_list) == []
    everything = client.get(reverse("consultations:list"))
    assert list(everything.context["page"].object_list) == [advised]
