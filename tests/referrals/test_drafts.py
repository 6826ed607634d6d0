"""Drafts (issue 19): "Start now" makes nothing, the first answer saved makes the draft; the
local authority has no default; a referrer deletes their own draft and no one else can; the
check-answers page offers only the changes its pages can make."""

import re

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from prevent_cms.models import AuditEvent
from referrals.models import Referral
from tests.referrals import factories as f

FIRST = reverse("referrals:first_question")
PERSON = {
    "first_name": "Jordan",
    "last_name": "Testperson",
    "date_of_birth_0": "12",
    "date_of_birth_1": "4",
    "date_of_birth_2": "2010",
    "gender": "male",
}


@pytest.fixture
def referrer(world, client):
    user = f.referrer_for(world)
    client.force_login(user)
    return user


def test_start_now_leads_to_the_first_question_and_makes_no_draft(client, referrer):
    start = lxml_html.fromstring(client.get(reverse("referrals:start")).content)
    (button,) = start.xpath("//main//*[contains(@class, 'govuk-button--start')]")
    assert button.tag == "a"
    assert button.get("href") == FIRST
    assert client.post(reverse("referrals:start")).url == FIRST
    page = client.get(FIRST)
    assert page.status_code == 200
    assert "About the person" in page.content.decode()
    assert Referral.objects.count() == 0


def test_the_first_answer_saved_makes_exactly_one_draft(client, referrer):
    refused = client.post(FIRST, {**PERSON, "first_name": ""})
    assert refused.status_code == 400
    assert "Enter the person’s first name" in refused.content.decode()
    assert Referral.objects.count() == 0
    response = client.post(FIRST, PERSON)
    (referral,) = Referral.objects.all()
    assert referral.referrer == referrer
    assert referral.subject.first_name == "Jordan"
    assert referral.sections_done == ["person"]
    assert response.url == reverse("referrals:section", args=[referral.pk, "address"])
    assert AuditEvent.objects.filter(action="referral.created", object_id=str(referral.pk)).count()
    client.get(response.url)
    assert Referral.objects.count() == 1


def _council_options(client, referral) -> list[tuple[str, bool]]:
    page = client.get(reverse("referrals:section", args=[referral.pk, "address"]))
    tree = lxml_html.fromstring(page.content)
    (select,) = tree.xpath("//select[@name='local_authority']")
    return [(o.get("value"), o.get("selected") is not None) for o in select.xpath(".//option")]


def test_no_local_authority_is_chosen_for_the_person(world, client, referrer):
    client.post(FIRST, PERSON)
    referral = Referral.objects.get()
    options = _council_options(client, referral)
    assert options[0][0] == ""  # the empty choice first, and no council chosen
    assert [value for value, selected in options if selected] in ([], [""])
    missing = client.post(
        reverse("referrals:section", args=[referral.pk, "address"]),
        {"address": "1 Example Road", "postcode": "zz9 9zz"},
    )
    assert "Select the local authority where the person lives" in missing.content.decode()
    client.post(
        reverse("referrals:section", args=[referral.pk, "address"]),
        {"address": "1 Example Road", "postcode": "zz9 9zz", "local_authority": world.la_b.pk},
    )
    assert [v for v, selected in _council_options(client, referral) if selected] == [
        str(world.la_b.pk)
    ]


def test_a_referrer_deletes_their_draft_and_no_one_else_can(world, client, referrer):
    mine = f.draft(world, referrer=referrer)
    theirs = f.draft(world)  # another referrer at the same school
    url = reverse("referrals:delete_draft", args=[theirs.pk])
    for other in (referrer, f.referrer_for(world, world.school_c), f.officer_for(world)):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Referral.objects.filter(pk=theirs.pk).exists()
    client.force_login(referrer)
    response = client.post(reverse("referrals:delete_draft", args=[mine.pk]))
    assert response.status_code == 302
    assert not Referral.objects.filter(pk=mine.pk).exists()


def test_check_answers_offers_only_the_changes_its_pages_make(world, client, referrer):
    referral = f.draft(world, referrer=referrer)
    html = client.get(reverse("referrals:check", args=[referral.pk])).content.decode()
    changes = re.findall(r'>Change<span class="govuk-visually-hidden"> ([^<]+)</span>', html)
    assert "your phone number" in changes
    assert "your name" not in changes
    assert "your organisation" not in changes
    assert referrer.display_name in html
