"""Issue 15: the browser form asks everything the national referral form asks, check-answers
shows it, the API takes it, and one rule says which answers a referral needs to be sent."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.choices import State
from referrals.forms.draft import FIELD_SECTION, SECTIONS, HouseholdForm
from referrals.forms.on_behalf import ReferrerContactForm
from referrals.guards import REQUIRED_ANSWERS, missing_referral_fields
from referrals.models import Referral
from tests.referrals import factories as f
from tests.referrals.api.conftest import as_user
from tests.referrals.test_on_behalf import PARENT, on_behalf
from tests.referrals.test_views import SECTION_ANSWERS

LIST = "/api/v1/referrals/"

# Every question added for the national form: (section, field, its length limit).
NEW_TEXT_QUESTIONS = [
    ("person", "place_of_birth", 100),
    ("person", "immigration_status", 200),
    ("person", "first_language", 100),
    ("household", "member_1_name", 100),
    ("household", "member_1_relationship", 100),
    ("household", "parental_support_details", 2000),
    ("agencies", "agencies_consulted_details", 2000),
]


def _section_url(referral, slug):
    return reverse("referrals:section", args=[referral.pk, slug])


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def referrer(world, client):
    user = f.referrer_for(world)
    client.force_login(user)
    return user


def _answers(slug: str, **extra) -> dict:
    answers = dict(SECTION_ANSWERS.get(slug, {}))
    if slug == "household":
        answers = {"member_1_name": "Ann Example", "member_1_relationship": "Mother"}
    return {**answers, **extra}


# --- Each new question: saved, and refused in plain words ----------------------------------


def test_the_new_questions_are_saved_and_shown_on_check_answers(world, client, referrer):
    referral = f.draft(world, referrer=referrer)
    person = _answers(
        "person",
        place_of_birth="Gdańsk, Poland",
        nationality="Polish",
        immigration_status="EU settled status",
        first_language="Polish",
        interpreter_needed="yes",
    )
    household = {
        "member_1_name": "Maria Example",
        "member_1_relationship": "Mother",
        "member_1_age": "41",
        "member_3_name": "Tomasz Example",
        "member_3_relationship": "Brother",
        "parental_support": "no",
        "parental_support_details": "Mother works nights.",
    }
    concerns = _answers("concerns", indicators=["extremist_material", "travel_plans"])
    agencies = _answers(
        "agencies",
        agencies_consulted="yes",
        agencies_consulted_details="Children's social care: advised a referral.",
    )
    for slug, data in [
        ("person", person),
        ("household", household),
        ("concerns", concerns),
        ("agencies", agencies),
    ]:
        response = client.post(_section_url(referral, slug), data)
        assert response.status_code == 302, (slug, response.content[:3000])
    referral.refresh_from_db()
    subject = referral.subject
    assert (subject.place_of_birth, subject.immigration_status) == (
        "Gdańsk, Poland",
        "EU settled status",
    )
    assert (subject.first_language, subject.interpreter_needed) == ("Polish", True)
    # Blank rows are skipped; the age is a number, or None when not given.
    assert subject.household_members == [
        {"name": "Maria Example", "relationship": "Mother", "age": 41},
        {"name": "Tomasz Example", "relationship": "Brother", "age": None},
    ]
    assert (referral.parental_support, referral.parental_support_details) == (
        False,
        "Mother works nights.",
    )
    assert referral.indicators == ["extremist_material", "travel_plans"]
    assert referral.agencies_consulted is True
    assert "household" in referral.sections_done

    page = client.get(reverse("referrals:check", args=[referral.pk])).content.decode()
    for shown in [
        "Place of birth",
        "Gdańsk, Poland",
        "Immigration status",
        "EU settled status",
        "First language",
        "Needs an interpreter",
        "Maria Example, Mother, age 41",
        "Tomasz Example, Brother",
        "Parents or carers support them",
        "Mother works nights.",
        "Has or shares extremist material or symbols",
        "Plans to travel to a conflict zone or to join a group",
        "Other agencies consulted",
        "Children&#x27;s social care: advised a referral.",
    ]:
        assert shown in page, shown
    # The page to change each is one click away, and comes back to check answers.
    assert f"{_section_url(referral, 'household')}?next=check" in page
    # The page shows the saved rows again, to change.
    again = client.get(_section_url(referral, "household")).content.decode()
    assert 'value="Maria Example"' in again
    assert 'value="Tomasz Example"' in again


@pytest.mark.parametrize(("slug", "field", "limit"), NEW_TEXT_QUESTIONS)
def test_each_new_question_refuses_control_characters_and_overlong_answers(
    world, client, referrer, slug, field, limit
):
    referral = f.draft(world, referrer=referrer)
    before = (referral.version, referral.subject.household_members)
    for value, message in [
        ("bad\x1b[31mtext", "hidden control characters"),
        ("bad\x07bell", "hidden control characters"),
        ("x" * (limit + 1), f"{limit} characters or fewer"),
    ]:
        data = _answers(slug, **{field: value})
        if field.startswith("member_1") and field != "member_1_name":
            data["member_1_name"] = "Ann Example"
        response = client.post(_section_url(referral, slug), data)
        assert response.status_code == 200, (field, value[:20])
        page = response.content.decode()
        assert "There is a problem" in page
        assert message in page, (field, message)
    referral.refresh_from_db()
    assert (referral.version, referral.subject.household_members) == before


def test_new_lines_and_tabs_are_ordinary_text(world, client, referrer):
    referral = f.draft(world, referrer=referrer)
    data = _answers("household", parental_support_details="Line one\r\nLine\ttwo")
    assert client.post(_section_url(referral, "household"), data).status_code == 302
    referral.refresh_from_db()
    assert referral.parental_support_details == "Line one\r\nLine\ttwo"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"member_2_relationship": "Uncle"}, "Enter the name of household member 2"),
        ({"member_2_age": "12"}, "Enter the name of household member 2"),
        ({"member_2_name": "Jo", "member_2_age": "twelve"}, "household member 2’s age"),
        ({"member_2_name": "Jo", "member_2_age": "-1"}, "household member 2’s age"),
        ({"member_2_name": "Jo", "member_2_age": "121"}, "must be 120 or less"),
    ],
)
def test_household_rows_are_checked(world, client, referrer, row, message):
    referral = f.draft(world, referrer=referrer)
    response = client.post(_section_url(referral, "household"), _answers("household", **row))
    assert response.status_code == 200
    assert message in response.content.decode()
    referral.refresh_from_db()
    assert "household" not in referral.sections_done


def test_an_unknown_sign_is_refused(world, client, referrer):
    referral = f.draft(world, referrer=referrer)
    data = _answers("concerns", indicators=["not_a_sign"])
    response = client.post(_section_url(referral, "concerns"), data)
    assert "Select signs from the list" in response.content.decode()


def test_household_page_is_a_fieldset_per_member(world, client, referrer):
    referral = f.draft(world, referrer=referrer)
    page = client.get(_section_url(referral, "household")).content.decode()
    for n in range(1, 7):
        assert f"Household member {n} (optional)" in page
    assert page.count('name="member_') == 18


# --- One rule of what a referral needs before it is sent ---------------------------------


def test_the_pages_require_exactly_the_answers_the_rule_names(db):
    """Each question page marks required the rule's answers and no other; every answer the
    rule names is asked by some page, with the rule's message. The referrer's sector is
    asked on the contact page of a referral recorded on someone's behalf, not a section."""
    rule = {answer.name: str(answer.message) for answer in REQUIRED_ANSWERS}
    required_on_pages = {}
    contact = ReferrerContactForm().fields["contact_sector"]
    assert contact.required
    required_on_pages["contact_sector"] = str(contact.error_messages["required"])
    for section in SECTIONS:
        form = section()
        for name, field in form.fields.items():
            if field.required and name not in section.ALWAYS_ANSWERED:
                required_on_pages[name] = str(field.error_messages["required"])
    assert required_on_pages == rule
    assert all(FIELD_SECTION.get(name) for name in rule if name != "contact_sector")


def test_api_submit_without_discussed_with_lead_is_400_naming_it(api, world):
    referral = f.draft(world, discussed_with_lead=None)
    response = as_user(api, referral.referrer).post(
        f"{LIST}{referral.pk}/transitions/submit/", {}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"discussed_with_lead"}
    assert "safeguarding lead" in response.json()["errors"]["discussed_with_lead"][0]["message"]
    assert Referral.objects.get(pk=referral.pk).state == State.DRAFT


def _required_only_pages() -> dict[str, dict]:
    """Only what the pages require, section by section."""
    required = {answer.name for answer in REQUIRED_ANSWERS}
    pages = {}
    for slug, answers in SECTION_ANSWERS.items():
        kept = {
            key: value
            for key, value in answers.items()
            if key.split("_")[0] == "date" or key in required
        }
        pages[slug] = kept
    return pages


def test_a_draft_the_pages_accept_is_one_the_api_sends(world, client, api, referrer):
    """Filled in through the pages with only what they require: every page saves, the task
    list says it is ready, and the API's submit takes it."""
    pages = _required_only_pages()
    response = client.post(reverse("referrals:first_question"), pages["person"])
    assert response.status_code == 302
    referral = Referral.objects.get(referrer=referrer)
    for slug, answers in pages.items():
        data = {**answers, "local_authority": str(world.la_a.pk)} if slug == "address" else answers
        response = client.post(_section_url(referral, slug), data)
        assert response.status_code == 302, (slug, response.content[:3000])
    referral.refresh_from_db()
    assert missing_referral_fields(referral) == {}
    task_list = client.get(reverse("referrals:task_list", args=[referral.pk])).content.decode()
    assert "Check your answers" in task_list
    sent = as_user(api, referrer).post(
        f"{LIST}{referral.pk}/transitions/submit/", {}, format="json"
    )
    assert sent.status_code == 200, sent.content


def _api_body(**overrides) -> dict:
    body = f.complete_form(**overrides)
    body["subject"]["date_of_birth"] = body["subject"]["date_of_birth"].isoformat()
    return body


def test_a_draft_the_api_makes_complete_is_one_the_pages_send(world, client, api, referrer):
    """Made through the API with only the rule's answers: the browser's check page sends it."""
    required = {answer.name for answer in REQUIRED_ANSWERS}
    body = _api_body()
    body["subject"] = {k: v for k, v in body["subject"].items() if k in required}
    body = {k: v for k, v in body.items() if k in required or k == "subject"}
    made = as_user(api, referrer).post(LIST, body, format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    response = client.post(reverse("referrals:check", args=[pk]))
    assert response.status_code == 302
    assert response.url == reverse("referrals:confirmation", args=[pk])


@pytest.mark.parametrize("answer", [answer.name for answer in REQUIRED_ANSWERS])
def test_without_any_one_required_answer_both_doors_refuse_it(world, client, api, answer):
    """Blank one required answer: the browser's "Accept and send" and the API's submit
    refuse the same draft, each naming that answer with the rule's message."""
    message = next(str(a.message) for a in REQUIRED_ANSWERS if a.name == answer)
    on_subject = next(a.on_subject for a in REQUIRED_ANSWERS if a.name == answer)
    blank = None if answer in ("date_of_birth",) or answer.endswith(("_risk", "_aware")) else ""
    if answer == "discussed_with_lead":
        blank = None
    overrides = {"subject": {answer: blank}} if on_subject else {answer: blank}
    if next(a.on_behalf_only for a in REQUIRED_ANSWERS if a.name == answer):
        # Asked only of a referral recorded on someone's behalf (issue 15).
        referral = on_behalf(f.officer_for(world), contact={**PARENT, "sector": ""})
    else:
        referral = f.draft(world, **overrides)
    client.force_login(referral.referrer)
    page = client.post(reverse("referrals:check", args=[referral.pk]))
    assert page.status_code == 400
    assert message in page.content.decode()
    sent = as_user(api, referral.referrer).post(
        f"{LIST}{referral.pk}/transitions/submit/", {}, format="json"
    )
    assert sent.status_code == 400
    assert set(sent.json()["errors"]) == {answer}
    assert [error["message"] for error in sent.json()["errors"][answer]] == [message]
    assert Referral.objects.get(pk=referral.pk).state == State.DRAFT


# --- The API takes the same questions -----------------------------------------------------


def test_the_api_takes_and_shows_the_new_answers(api, world):
    referrer = f.referrer_for(world)
    body = _api_body(
        subject={
            "place_of_birth": "Gdańsk, Poland",
            "nationality": "Polish",
            "immigration_status": "EU settled status",
            "first_language": "Polish",
            "interpreter_needed": True,
            "household_members": [
                {"name": "Maria Example", "relationship": "Mother", "age": 41},
                {"name": "Tomasz Example"},
            ],
        },
        indicators=["extremist_material"],
        parental_support=True,
        parental_support_details="Mother is worried.",
        agencies_consulted=False,
        agencies_consulted_details="",
    )
    made = as_user(api, referrer).post(LIST, body, format="json")
    assert made.status_code == 201, made.content
    data = made.json()
    subject = data["subject"]
    assert subject["place_of_birth"] == "Gdańsk, Poland"
    assert subject["interpreter_needed"] is True
    assert subject["household_members"][0] == {
        "name": "Maria Example",
        "relationship": "Mother",
        "age": 41,
    }
    assert data["parental_support"] is True
    assert data["agencies_consulted"] is False
    referral = Referral.objects.get(pk=data["id"])
    assert referral.subject.immigration_status == "EU settled status"
    assert referral.subject.household_members[1]["name"] == "Tomasz Example"


@pytest.mark.parametrize(
    ("patch", "field", "message"),
    [
        ({"subject": {"place_of_birth": "a\x1bb"}}, "subject", "hidden control characters"),
        ({"subject": {"immigration_status": "x" * 201}}, "subject", "200 characters or fewer"),
        ({"subject": {"first_language": "x" * 101}}, "subject", "100 characters or fewer"),
        ({"subject": {"interpreter_needed": "yes"}}, "subject", "Answer yes or no"),
        (
            {"subject": {"household_members": [{"relationship": "Mother"}]}},
            "subject",
            "Enter the household member's name",
        ),
        (
            {"subject": {"household_members": [{"name": "A", "age": 200}]}},
            "subject",
            "120 or less",
        ),
        ({"subject": {"household_members": [{"name": "A\x07"}]}}, "subject", "control"),
        ({"parental_support_details": "x" * 2001}, "parental_support_details", "2,000"),
        ({"agencies_consulted_details": "a\x0bb"}, "agencies_consulted_details", "control"),
        ({"agencies_consulted": 1}, "agencies_consulted", "Answer yes or no"),
    ],
)
def test_the_api_refuses_bad_new_answers_in_plain_words(api, world, patch, field, message):
    referral = f.draft(world)
    response = as_user(api, referral.referrer).patch(f"{LIST}{referral.pk}/", patch, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert message in str(response.json()["errors"][field])
    assert Referral.objects.get(pk=referral.pk).version == referral.version


def test_household_section_appears_in_the_task_list(world, client, referrer):
    referral = f.draft(world, referrer=referrer)
    page = client.get(reverse("referrals:task_list", args=[referral.pk])).content.decode()
    assert str(HouseholdForm.title) in page
    assert reverse("referrals:evidence", args=[referral.pk]) in page
