"""Recording a person's NHS number or UPN (issue 18): by whoever may link the case, checked
(the NHS number's modulus-11 check digit, the UPN's check letter) and refused in plain words,
audited, used by matching; a page and an API endpoint."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from persons import services
from persons.models import PersonIdentifier
from prevent_cms.errors import ActionForbidden, Conflict, GuardFailed
from prevent_cms.models import AuditEvent
from referrals.models import Referral
from referrals.selectors import referral_possible_duplicates
from tests.referrals import factories as f

NHS = "943 476 5919"  # a valid NHS number (check digit 9)
NHS_MISTYPED = "943 476 5918"
UPN = "B801200005001"


def _record(referral, actor, kind="nhs_number", value=NHS):
    return services.person_identifier_record(
        referral_id=referral.pk, actor=actor, kind=kind, value=value
    )


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- The service ---------------------------------------------------------------------------


def test_the_officer_records_an_nhs_number_stored_without_spaces_and_audited(world):
    officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    number = _record(referral, officer)
    referral.refresh_from_db()
    assert (number.kind, number.value) == ("nhs_number", "9434765919")
    assert (number.person_id, number.referral_id) == (referral.person_id, referral.pk)
    event = AuditEvent.objects.get(action="referral.person_identifier_recorded")
    assert (event.actor, event.object_id) == (officer, str(referral.pk))
    assert "9434765919" not in json.dumps(event.detail)  # the number itself is not audited


def test_a_mistyped_nhs_number_is_refused_naming_the_check_digit(world):
    officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    with pytest.raises(GuardFailed) as error:
        _record(referral, officer, value=NHS_MISTYPED)
    message = str(error.value.field_errors["value"][0])
    assert "check digit" in message
    assert "nhs_number" not in message
    with pytest.raises(GuardFailed) as error:
        _record(referral, officer, value="12345")
    assert "10 digits" in str(error.value.field_errors["value"][0])
    assert not PersonIdentifier.objects.exists()


def test_a_upn_is_checked_by_its_check_letter(world):
    officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    with pytest.raises(GuardFailed) as error:
        _record(referral, officer, kind="upn", value="A801200005001")
    assert "check letter" in str(error.value.field_errors["value"][0])
    assert _record(referral, officer, kind="upn", value=UPN.lower()).value == UPN


def test_the_same_number_twice_is_a_conflict_and_a_kind_must_be_chosen(world):
    officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    _record(referral, officer)
    with pytest.raises(Conflict):
        _record(referral, officer, value="9434765919")
    with pytest.raises(GuardFailed) as error:
        _record(referral, officer, kind="passport")
    assert "kind" in error.value.field_errors


def test_who_may_record_officers_and_chairs_of_their_channel_cases(world):
    officer = f.officer_for(world)
    police_case = f.police_assessment(world, officer=officer)
    with pytest.raises(ActionForbidden):
        _record(police_case, police_case.referrer)
    with pytest.raises(Referral.DoesNotExist):  # another force: out of scope
        _record(police_case, f.officer_for(world, agency=world.police_c))
    with pytest.raises(Referral.DoesNotExist):  # not a Channel case: the chair cannot see it
        _record(police_case, f.chair_for(world))
    channel_case = f.channel_panel(world)
    assert _record(channel_case, f.chair_for(world)).kind == "nhs_number"
    with pytest.raises(Referral.DoesNotExist):  # another authority's chair
        _record(channel_case, f.chair_for(world, agency=world.council_b), value=UPN, kind="upn")


def test_a_later_referral_giving_the_number_matches_it_and_unlinking_takes_it_back(world):
    officer = f.officer_for(world)
    earlier = f.police_assessment(
        world, officer=officer, subject={"first_name": "Jordan", "last_name": "Ellis"}
    )
    later = f.police_assessment(
        world, officer=officer, subject={"first_name": "Kai", "last_name": "Okafor"}
    )
    later = Referral.objects.get(pk=later.pk)
    assert not referral_possible_duplicates(officer, later).matches  # nothing alike
    _record(earlier, officer)
    _record(later, officer)
    found = referral_possible_duplicates(officer, Referral.objects.get(pk=later.pk)).matches
    assert [match.referral.pk for match in found] == [earlier.pk]
    assert "same_identifier" in found[0].reasons


# --- The page ------------------------------------------------------------------------------


def test_the_page_records_a_number_and_shows_errors_in_words(world, client):
    officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    url = reverse("persons:identifier", args=[referral.pk])
    client.force_login(officer)
    case_page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert url in case_page
    assert client.get(url).status_code == 200
    answer = client.post(url, {"kind": "nhs_number", "value": NHS_MISTYPED})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "govuk-error-summary" in page
    assert "check digit" in page
    assert client.post(url, {"kind": "", "value": ""}).status_code == 400
    answer = client.post(url, {"kind": "nhs_number", "value": NHS})
    assert answer.status_code == 302
    assert PersonIdentifier.objects.get().value == "9434765919"


def test_the_page_is_403_for_a_reader_who_may_not_link_and_404_outside_scope(world, client):
    referral = f.police_assessment(world)
    url = reverse("persons:identifier", args=[referral.pk])
    client.force_login(referral.referrer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "nhs_number", "value": NHS}).status_code == 403
    client.force_login(f.officer_for(world, agency=world.police_c))
    assert client.get(url).status_code == 404
    client.force_login(f.chair_for(world))
    assert client.get(url).status_code == 404
    assert not PersonIdentifier.objects.exists()


# --- The API -------------------------------------------------------------------------------


def _path(referral) -> str:
    return f"/api/v1/referrals/{referral.pk}/identifiers/"


def test_the_api_answers_201_with_the_person_in_location(world):
    officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    answer = _api(officer).post(_path(referral), {"kind": "nhs_number", "value": NHS}, "json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["value"] == "9434765919"
    person = Referral.objects.get(pk=referral.pk).person_id
    assert answer["Location"].endswith(reverse("api:person-detail", args=[person]))
    read = _api(officer).get(answer["Location"]).json()
    assert answer.json() in read["identifiers"]


def test_the_api_refuses_in_words_and_takes_strict_fields(world):
    officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    client = _api(officer)
    bad = client.post(_path(referral), {"kind": "nhs_number", "value": NHS_MISTYPED}, "json")
    assert bad.status_code == 400
    assert "check digit" in bad.json()["errors"]["value"][0]["message"]
    number = client.post(_path(referral), {"kind": "nhs_number", "value": 9434765919}, "json")
    assert number.status_code == 400  # a JSON number is not the string the schema names
    assert client.post(_path(referral), {"kind": "nhs_number"}, "json").status_code == 400
    assert (
        client.post(_path(referral), {"kind": "passport", "value": NHS}, "json").status_code == 400
    )
    assert not PersonIdentifier.objects.exists()


def test_the_api_is_404_outside_scope_and_403_for_a_reader_who_may_not_link(world):
    referral = f.police_assessment(world)
    body = {"kind": "nhs_number", "value": NHS}
    outsider = f.officer_for(world, agency=world.police_c)
    assert _api(outsider).post(_path(referral), body, "json").status_code == 404
    assert _api(referral.referrer).post(_path(referral), body, "json").status_code == 403
    assert not PersonIdentifier.objects.exists()


def test_a_retried_post_with_a_key_records_one_number(world):
    officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    client = _api(officer)
    headers = {"Idempotency-Key": "nhs-1"}
    body = {"kind": "nhs_number", "value": NHS}
    first = client.post(_path(referral), body, "json", headers=headers)
    retry = client.post(_path(referral), body, "json", headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert PersonIdentifier.objects.count() == 1
