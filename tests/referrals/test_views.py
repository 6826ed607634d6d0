"""The referral pages: the referrer's form, the officer's queue and case page."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.demo import seed_people
from accounts.models import Role
from referrals import services
from referrals.choices import State
from referrals.demo import seed_referrals
from referrals.models import Referral
from tests.factories import UserFactory
from tests.helpers import assert_hidden, audit_actions
from tests.referrals import factories as f

SECTION_ANSWERS = {
    "person": {
        "first_name": "Jordan",
        "last_name": "Testperson",
        "date_of_birth_0": "12",
        "date_of_birth_1": "4",
        "date_of_birth_2": "2010",
        "gender": "male",
    },
    "address": {"address": "1 Example Road", "postcode": "zz9 9zz"},
    "education": {"education_or_employment": "Year 10 at Northbridge Academy"},
    "concerns": {
        "immediate_risk": "no",
        "concern_summary": "Sharing violent videos.",
        "how_concern_arose": "A classmate told me.",
        "concern_types": ["extreme_right_wing"],
    },
    "needs": {"complex_needs": ["mental_health"]},
    "agencies": {"other_agencies": "CAMHS, Dr Example, 020 7946 0001"},
    "questions": {"discussed_with_lead": "yes", "subject_aware": "no"},
    "you": {"referrer_phone": "020 7946 0000"},
}


def _section_url(referral, slug):
    return reverse("referrals:section", args=[referral.pk, slug])


@pytest.fixture
def referrer(world, client):
    user = f.referrer_for(world)
    client.force_login(user)
    return user


def test_referrer_completes_the_form_section_by_section(world, client, referrer):
    response = client.get(reverse("referrals:start"))
    assert b"call 999" in response.content
    # "Start now" leads to the first question; its first answer saved makes the draft.
    response = client.post(reverse("referrals:first_question"), SECTION_ANSWERS["person"])
    referral = Referral.objects.get(referrer=referrer)
    assert response.url == _section_url(referral, "address")
    for slug, answers in SECTION_ANSWERS.items():
        data = {**answers, "local_authority": str(world.la_b.pk)} if slug == "address" else answers
        response = client.post(_section_url(referral, slug), data)
        assert response.status_code == 302, (slug, response.content[:2000])
    referral.refresh_from_db()
    assert referral.subject.postcode == "ZZ9 9ZZ"
    assert referral.local_authority == world.la_b
    assert referral.subject.date_of_birth == datetime.date(2010, 4, 12)
    assert referral.complex_needs == ["mental_health"]
    assert referral.other_agencies == [
        {"name": "CAMHS", "role": "Dr Example", "contact": "020 7946 0001"}
    ]
    assert set(referral.sections_done) == set(SECTION_ANSWERS)
    response = client.get(reverse("referrals:check", args=[referral.pk]))
    assert b"Jordan" in response.content
    assert b"Change" in response.content
    response = client.post(reverse("referrals:check", args=[referral.pk]))
    assert response.url == reverse("referrals:confirmation", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.state == State.SUBMITTED
    response = client.get(response.url)
    assert referral.reference.encode() in response.content


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1", "1", str(timezone.localdate().year + 1), "today or in the past"),
        ("1", "1", "1850", "less than 120 years ago"),
        ("31", "2", "2010", "must be a real date"),
        ("", "", "", "Enter the person’s date of birth"),
    ],
)
def test_date_of_birth_messages(world, client, referrer, day, month, year, message):
    referral = f.direct(f.DraftFactory, world, referrer=referrer)
    data = {**SECTION_ANSWERS["person"], "date_of_birth_0": day}
    data |= {"date_of_birth_1": month, "date_of_birth_2": year}
    response = client.post(_section_url(referral, "person"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_nul_bytes_and_lengths_are_refused_in_plain_words(world, client, referrer):
    referral = f.direct(f.DraftFactory, world, referrer=referrer)
    data = {**SECTION_ANSWERS["concerns"], "concern_summary": "bad\x00text"}
    response = client.post(_section_url(referral, "concerns"), data)
    assert "hidden null" in response.content.decode()
    data = {**SECTION_ANSWERS["concerns"], "concern_summary": "x" * 5001}
    response = client.post(_section_url(referral, "concerns"), data)
    assert "5000 characters or fewer" in response.content.decode()
    referral.refresh_from_db()
    assert referral.concern_summary.startswith("Has been sharing")


def test_immediate_risk_yes_shows_999_again_and_flags_urgent(world, client, referrer):
    referral = f.direct(f.DraftFactory, world, referrer=referrer)
    data = {**SECTION_ANSWERS["concerns"], "immediate_risk": "yes"}
    response = client.post(_section_url(referral, "concerns"), data)
    assert response.url == reverse("referrals:urgent", args=[referral.pk])
    assert b"call 999" in client.get(response.url).content
    referral.refresh_from_db()
    assert referral.urgent


def test_submitting_an_incomplete_draft_names_what_is_missing(world, client, referrer):
    referral = services.referral_create_draft(actor=referrer, data={})
    response = client.post(reverse("referrals:check", args=[referral.pk]))
    assert response.status_code == 400
    assert "Enter the person’s first name" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == State.DRAFT


def test_my_referrals_shows_only_the_coarse_status(world, client):
    referral = f.assessed(world)
    client.force_login(referral.referrer)
    page = client.get(reverse("referrals:mine")).content.decode()
    assert "Being assessed" in page
    assert referral.reference in page
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Being assessed" in page
    for secret in ("Police assessment", "Deconfliction", "Low-level but persistent", "Isolation"):
        assert secret not in page


def test_agency_lead_sees_their_agency_referrals_coarsely(world, client):
    referral = f.direct(f.SubmittedFactory, world)
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    client.force_login(lead)
    page = client.get(reverse("referrals:mine")).content.decode()
    assert referral.reference in page
    assert "Received" in page


def test_officer_triages_from_the_queue(world, client):
    officer = f.officer_for(world)
    urgent = f.submitted(world, immediate_risk=True)
    plain = f.submitted(world)
    client.force_login(officer)
    page = client.get(reverse("referrals:queue")).content.decode()
    assert page.index(urgent.reference) < page.index(plain.reference)
    assert "days waiting" in page or "day waiting" in page
    response = client.post(reverse("referrals:queue"), {"q": plain.reference}, follow=True)
    page = response.content.decode()
    assert plain.reference in page
    assert urgent.reference not in page
    page = client.get(reverse("referrals:queue"), {"urgent": "on"}).content.decode()
    assert urgent.reference in page
    assert plain.reference not in page

    url = reverse("referrals:decide", args=[plain.pk, "start_assessment"])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    response = client.post(
        reverse("referrals:assessment", args=[plain.pk]),
        {
            "deconfliction": "cleared",
            "concern_type": "islamist",
            "screening": "clear_vulnerability",
            "vulnerabilities": "Isolation\nBereavement",
            "risk_summary": "Some risk.",
        },
    )
    assert response.status_code == 302
    url = reverse("referrals:decide", args=[plain.pk, "refer_to_channel"])
    response = client.post(url, {"rationale": ""})
    assert "Give the reasons for this decision" in response.content.decode()
    assert client.post(url, {"rationale": "Needs multi-agency support."}).status_code == 302
    plain.refresh_from_db()
    assert plain.state == State.CHANNEL_PANEL
    # A second officer acting on the stale page gets the "moved on" page.
    response = client.post(url, {"rationale": "Again."})
    assert response.status_code == 409
    assert "The case has moved on" in response.content.decode()


def test_close_with_signposting(world, client):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    client.force_login(officer)
    url = reverse("referrals:decide", args=[referral.pk, "close"])
    response = client.post(url, {"reason": "signposted", "rationale": "Safeguarding need."})
    assert "Select the service" in response.content.decode()
    response = client.post(
        url,
        {"reason": "signposted", "signposted_to": "mental_health", "rationale": "Health need."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.signposted_to) == (State.CLOSED, "mental_health")


def test_case_page_audits_notes_and_attachments(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    client.force_login(officer)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Low-level but persistent" in page
    assert "referral.viewed" in audit_actions(object_id=str(referral.pk))
    response = client.post(
        reverse("referrals:note_add", args=[referral.pk]), {"kind": "opinion", "text": "Worried."}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("referrals:attachment_upload", args=[referral.pk]),
        {"file": SimpleUploadedFile("evil.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100)},
    )
    assert response.status_code == 400
    assert "must be a PDF, image" in response.content.decode()
    client.post(
        reverse("referrals:attachment_upload", args=[referral.pk]),
        {"file": SimpleUploadedFile("notes.txt", b"Meeting notes.")},
    )
    attachment = referral.attachments.get()
    before = audit_actions(object_id=str(referral.pk)).count("referral.viewed")
    response = client.get(
        reverse("referrals:attachment_download", args=[referral.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"Meeting notes."
    assert audit_actions(object_id=str(referral.pk)).count("referral.viewed") == before + 1
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Worried." in page
    assert "Opinion" in page
    assert "notes.txt" in page


def test_possible_duplicates_are_linked(world, client):
    officer = f.officer_for(world)
    first = f.submitted(world, subject={"first_name": "Jon", "last_name": "Smyth"})
    dob = first.subject.date_of_birth
    second = f.submitted(
        world, subject={"first_name": "John", "last_name": "Smyth", "date_of_birth": dob}
    )
    client.force_login(officer)
    page = client.get(reverse("referrals:detail", args=[second.pk])).content.decode()
    assert reverse("referrals:detail", args=[first.pk]) in page


@pytest.mark.parametrize("count", [10, 200])
def test_queue_query_count_is_constant(world, client, django_assert_max_num_queries, count):
    officer = f.officer_for(world)
    referrer = f.referrer_for(world)
    f.SubmittedFactory.create_batch(count, referrer=referrer)
    client.force_login(officer)
    # The first request after signing in: the seven below, the session's first activity
    # written (a savepoint, the UPDATE and its release) and the filter panel's areas (cached).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("referrals:queue"))
    assert response.status_code == 200
    # Then every request: the session, the user, the lockout check (axes), the roles, the
    # page with its count, the list read's audit event and the navigation's counts (issue 25:
    # no session write within a minute, both navigation counts in one query).
    with django_assert_max_num_queries(7):
        response = client.get(reverse("referrals:queue"))
    assert response.status_code == 200


def test_attachment_of_another_area_is_hidden(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    officer = f.officer_for(world)
    referral = f.direct(f.InPoliceAssessmentFactory, world, officer=officer)
    attachment = services.attachment_add(
        referral_id=referral.pk,
        actor=officer,
        upload=SimpleUploadedFile("a.txt", b"hello"),
    )
    client.force_login(world.user(Role.PREVENT_OFFICER, agency=world.police_c))
    assert_hidden(
        client.get(reverse("referrals:attachment_download", args=[referral.pk, attachment.pk]))
    )


def test_demo_seeder_is_idempotent_and_covers_the_police_states(db):
    people = seed_people()
    seed_referrals(people)
    seed_referrals(people)
    states = set(Referral.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "police_assessment", "police_led", "closed"}
    assert Referral.objects.values("local_authority").distinct().count() == 2
    assert Referral.objects.count() == 10


def test_a_stale_page_keeps_what_was_typed(world, client, referrer):
    referral = f.direct(f.DraftFactory, world, referrer=referrer)
    data = {**SECTION_ANSWERS["you"], "version": str(referral.version - 1 or 99)}
    response = client.post(_section_url(referral, "you"), data)
    assert response.status_code == 200
    assert "changed in another window" in response.content.decode()
    data["version"] = str(referral.version)
    assert client.post(_section_url(referral, "you"), data).status_code == 302


def test_agency_lead_may_not_edit_a_colleagues_referral(world, client):
    referral = f.direct(f.SubmittedFactory, world)
    client.force_login(world.user(Role.AGENCY_LEAD, agency=world.school_a))
    response = client.get(reverse("referrals:task_list", args=[referral.pk]))
    assert response.status_code == 403


def test_queue_pages_forwards_and_back_through_every_case(world, client, monkeypatch):
    monkeypatch.setattr("referrals.views.lists.PAGE_SIZE", 2)
    monkeypatch.setattr("referrals.views.lists.QUEUE_COUNT_LIMIT", 3)
    officer = f.officer_for(world)
    made = [f.direct(f.SubmittedFactory, world) for _ in range(5)]
    client.force_login(officer)
    url, seen, pages = reverse("referrals:queue"), [], []
    response = client.get(url)
    assert "More than 3 referrals" in response.content.decode()
    while True:
        page = response.content.decode()
        pages.append(response)
        seen += [r.reference for r in made if r.reference in page]
        cursor = response.context["page"].next_cursor
        if cursor is None:
            break
        assert f"after={cursor}" in page
        response = client.get(url, {"after": cursor})
    assert sorted(seen) == sorted(r.reference for r in made)
    assert len(seen) == len(set(seen)) == 5
    back = client.get(url, {"before": pages[-1].context["page"].previous_cursor})
    assert [r["reference"] for r in back.context["rows"]] == [
        r["reference"] for r in pages[-2].context["rows"]
    ]


def test_queue_counts_exactly_below_the_limit(world, client):
    officer = f.officer_for(world)
    for _ in range(3):
        f.direct(f.SubmittedFactory, world)
    client.force_login(officer)
    assert "3 referrals" in client.get(reverse("referrals:queue")).content.decode()


def _options(page: str, select: str) -> list[str]:
    body = page.split(f'name="{select}">', 1)[1].split("</select>", 1)[0]
    return re.findall(r">([^<]+)</option>", body)


def test_each_force_sees_its_own_filter_choices_from_the_cached_panel(world, client):
    """Unfiltered, the filter panel comes from the template cache, keyed by force."""
    cache.clear()
    client.force_login(f.officer_for(world))
    ours = _options(client.get(reverse("referrals:queue")).content.decode(), "local_authority")
    assert ours == ["Any local authority", "Northbridge", "Southmere"]
    client.force_login(f.officer_for(world, agency=world.police_c))
    theirs = _options(client.get(reverse("referrals:queue")).content.decode(), "local_authority")
    assert theirs == ["Any local authority", "Westford"]


def test_a_filtered_queue_shows_what_was_chosen_not_the_cached_panel(world, client):
    cache.clear()
    client.force_login(f.officer_for(world))
    client.get(reverse("referrals:queue"))  # the unfiltered panel is now cached
    page = client.post(
        reverse("referrals:queue"), {"local_authority": world.la_b.pk, "q": "Smith"}, follow=True
    ).content.decode()
    assert f'<option value="{world.la_b.pk}" selected>Southmere</option>' in page
    assert 'value="Smith"' in page
    unfiltered = client.get(reverse("referrals:queue")).content.decode()
    assert f'<option value="{world.la_b.pk}">Southmere</option>' in unfiltered
    assert 'value="Smith"' not in unfiltered


def test_the_queue_holds_only_the_force_s_own_cases(world, client):
    """A case the officer sees for another reason (one they referred, as a referrer too, for
    someone living in another force's area) is not their force's work: it stays off the
    triage queue, as off the case-list export."""
    officer = UserFactory(agency=world.police_a, roles=[Role.PREVENT_OFFICER, Role.REFERRER])
    ours = f.direct(f.SubmittedFactory, world)
    elsewhere = f.submitted(world, referrer=officer, subject={"local_authority": world.la_c.pk})
    assert elsewhere.police_force_id == world.other_force.pk
    client.force_login(officer)
    assert client.get(reverse("referrals:detail", args=[elsewhere.pk])).status_code == 200
    page = client.get(reverse("referrals:queue")).content.decode()
    assert ours.reference in page
    assert elsewhere.reference not in page


def test_the_referrers_own_phone_number_can_be_filled_in_by_the_browser(world, client, referrer):
    """WCAG 1.3.5: a field about the person filling the form names its purpose."""
    referral = f.direct(f.DraftFactory, world, referrer=referrer)
    html = client.get(_section_url(referral, "you")).content.decode()
    field = re.search(r"<input[^>]*name=\"referrer_phone\"[^>]*>", html).group(0)
    assert 'type="tel"' in field
    assert 'autocomplete="tel"' in field


# --- Deleting a draft (issue 17: "drafts to finish (and delete)") -----------------------------


def test_a_referrer_deletes_their_draft_after_being_asked_once(world, client, referrer):
    referral = f.direct(f.DraftFactory, world, referrer=referrer)
    client.force_login(referrer)
    tasks = client.get(reverse("referrals:task_list", args=[referral.pk])).content.decode()
    delete_url = reverse("referrals:delete_draft", args=[referral.pk])
    assert f'href="{delete_url}"' in tasks
    asked = client.get(delete_url).content.decode()
    assert "Are you sure you want to delete this draft?" in asked
    assert Referral.objects.filter(pk=referral.pk).exists()  # asking deletes nothing
    response = client.post(delete_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert f"Draft {referral.reference} has been deleted" in response.content.decode()
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert "referral.draft_withdrawn" in audit_actions(object_id=str(referral.pk))


def test_no_one_else_deletes_a_draft_and_a_sent_referral_is_never_deleted(world, client, referrer):
    draft = f.direct(f.DraftFactory, world, referrer=referrer)
    colleague = f.referrer_for(world)
    client.force_login(colleague)
    assert client.post(reverse("referrals:delete_draft", args=[draft.pk])).status_code in (403, 404)
    assert Referral.objects.filter(pk=draft.pk).exists()
    sent = f.direct(f.SubmittedFactory, world, referrer=referrer)
    client.force_login(referrer)
    response = client.post(reverse("referrals:delete_draft", args=[sent.pk]))
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[sent.pk])
    assert Referral.objects.filter(pk=sent.pk, state=State.SUBMITTED).exists()
