"""Boards: membership, versioned terms of reference, meetings with attendance and quorum,
minutes signed off and locked, actions with RAG status; scope (another borough: 404;
someone who keeps no partnership records: 403)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from partnership.models import Action, Board, Meeting
from partnership.services import boards as services
from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed
from prevent_cms.models import AuditEvent

from .conftest import api, pdf_upload


def _meeting(people, board, *, days_ago: int = 0) -> Meeting:
    return services.meeting_schedule(
        actor=people.lead,
        board_id=board.board.pk,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        location="Civic Centre",
        agenda="1. Risk assessment",
    )


def test_a_meeting_with_the_quorum_present_is_quorate(people, board):
    meeting = _meeting(people, board)
    held = services.meeting_hold(
        actor=people.lead,
        meeting_id=meeting.pk,
        attended_ids=[m.pk for m in board.members[:3]],
        minutes="Agreed the plan.",
    )
    assert held.is_held
    assert held.quorum_met
    assert AuditEvent.objects.filter(action="partnership.meeting.held", object_id=str(meeting.pk))


def test_a_meeting_below_quorum_is_held_but_not_quorate(people, board):
    meeting = _meeting(people, board)
    held = services.meeting_hold(
        actor=people.lead, meeting_id=meeting.pk, attended_ids=[board.members[0].pk]
    )
    assert held.is_held
    assert not held.quorum_met


@pytest.mark.parametrize(
    ("attended", "message"),
    [([], "Select who attended the meeting"), (["stranger"], "must be a member of the meeting")],
)
def test_attendance_is_members_only_and_not_empty(people, board, attended, message):
    meeting = _meeting(people, board)
    ids = [str(people.officer.pk)] if attended else []
    with pytest.raises(GuardFailed, match=message):
        services.meeting_hold(actor=people.lead, meeting_id=meeting.pk, attended_ids=ids)


def test_a_future_meeting_cannot_be_marked_held(people, board):
    meeting = _meeting(people, board, days_ago=-7)
    with pytest.raises(GuardFailed):
        services.meeting_hold(
            actor=people.lead, meeting_id=meeting.pk, attended_ids=[board.members[0].pk]
        )


def test_signed_off_minutes_are_locked(people, board):
    meeting = _meeting(people, board)
    with pytest.raises(TransitionNotAllowed):  # not held yet
        services.meeting_sign_off(actor=people.lead, meeting_id=meeting.pk)
    services.meeting_hold(
        actor=people.lead,
        meeting_id=meeting.pk,
        attended_ids=[m.pk for m in board.members[:3]],
        minutes="Agreed.",
    )
    services.meeting_sign_off(actor=people.lead, meeting_id=meeting.pk)
    with pytest.raises(TransitionNotAllowed):
        services.meeting_hold(
            actor=people.lead, meeting_id=meeting.pk, attended_ids=[board.members[0].pk]
        )
    with pytest.raises(TransitionNotAllowed):
        services.meeting_sign_off(actor=people.lead, meeting_id=meeting.pk)
    action_data = {
        "description": "Late action",
        "owner": "Someone",
        "due_date": timezone.localdate(),
    }
    with pytest.raises(TransitionNotAllowed):
        services.action_create(actor=people.lead, data=action_data, meeting_id=meeting.pk)
    meeting.refresh_from_db()
    assert meeting.attended.count() == 3
    assert meeting.minutes == "Agreed."


def test_an_action_goes_red_and_the_audit_says_from_and_to(people, board):
    meeting = _meeting(people, board)
    action = services.action_create(
        actor=people.lead,
        data={
            "description": "Venue checks",
            "owner": "Libraries",
            "due_date": timezone.localdate(),
        },
        meeting_id=meeting.pk,
    )
    assert action.rag == "amber"
    assert action.board_id == board.board.pk
    services.action_update(actor=people.lead, action_id=action.pk, data={"rag": "red"})
    event = AuditEvent.objects.get(action="partnership.action.updated", object_id=str(action.pk))
    assert event.detail == {"fields": ["rag"], "rag_from": "amber", "rag_to": "red"}


def test_terms_of_reference_are_versioned_and_checked_like_attachments(people, board):
    approved = timezone.localdate()
    first = services.terms_upload(
        actor=people.lead, board_id=board.board.pk, upload=pdf_upload(), approved_on=approved
    )
    second = services.terms_upload(
        actor=people.lead, board_id=board.board.pk, upload=pdf_upload(), approved_on=approved
    )
    assert (first.version, second.version) == (1, 2)
    assert first.content_type == "application/pdf"
    assert "terms.pdf" not in first.file.name
    program = SimpleUploadedFile("terms.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(GuardFailed, match="must be a PDF, image, Office document or text"):
        services.terms_upload(
            actor=people.lead, board_id=board.board.pk, upload=program, approved_on=approved
        )


def test_another_boroughs_lead_reaches_nothing(people, board, client):
    meeting = _meeting(people, board)
    with pytest.raises(Board.DoesNotExist):
        services.board_member_add(actor=people.lead_b, board_id=board.board.pk, name="X")
    with pytest.raises(Meeting.DoesNotExist):
        services.meeting_hold(
            actor=people.lead_b, meeting_id=meeting.pk, attended_ids=[board.members[0].pk]
        )
    client.force_login(people.lead_b)
    assert client.get(f"/partnership/boards/{board.board.pk}/").status_code == 404
    assert client.get(f"/partnership/meetings/{meeting.pk}/").status_code == 404
    assert (
        api(people.lead_b).get(f"/api/v1/partnership/boards/{board.board.pk}/").status_code == 404
    )
    assert api(people.lead_b).get("/api/v1/partnership/boards/").json()["count"] == 0


def test_people_who_keep_no_partnership_records_are_refused(people, board, client):
    for person in (people.chair, people.officer):
        with pytest.raises(ActionForbidden):
            services.board_create(actor=person, name="Mine", kind="prevent_board", quorum=1)
        client.force_login(person)
        assert client.get("/partnership/").status_code == 403
        assert api(person).get("/api/v1/partnership/boards/").status_code == 403
        assert client.get(f"/partnership/boards/{board.board.pk}/").status_code == 404


def test_a_shared_board_is_kept_by_each_authoritys_lead(world, people):
    shared = services.board_create(
        actor=people.lead,
        name="County board",
        kind="county_board",
        quorum=2,
        local_authorities=[world.la_b],
    )
    member = services.board_member_add(
        actor=people.lead_b, board_id=shared.pk, name="Southmere member", agency=world.council_b
    )
    assert member.board_id == shared.pk


def test_the_api_runs_a_meeting_to_signed_off_minutes_and_an_action_to_red(people, board):
    client = api(people.lead)
    today = timezone.localdate().isoformat()
    answer = client.post(
        "/api/v1/partnership/meetings/",
        {"board": str(board.board.pk), "date": today, "location": "Town hall"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    meeting = answer.json()
    assert answer["Location"].endswith(f"/api/v1/partnership/meetings/{meeting['id']}/")
    held = client.post(
        f"/api/v1/partnership/meetings/{meeting['id']}/hold/",
        {"attended": [str(m.pk) for m in board.members[:3]], "minutes": "Minutes."},
        format="json",
    )
    assert held.status_code == 200
    assert held.json()["quorum_met"] is True
    action = client.post(
        "/api/v1/partnership/actions/",
        {"description": "Refresh", "owner": "Lead", "due_date": today, "meeting": meeting["id"]},
        format="json",
    )
    assert action.status_code == 201, action.content
    red = client.patch(action["Location"], {"rag": "red"}, format="json")
    assert red.status_code == 200
    assert red.json()["rag_label"] == "Red"
    signed = client.post(f"/api/v1/partnership/meetings/{meeting['id']}/sign-off/")
    assert signed.status_code == 200
    assert signed.json()["signed_off"] is True
    again = client.post(
        f"/api/v1/partnership/meetings/{meeting['id']}/hold/",
        {"attended": [str(board.members[0].pk)]},
        format="json",
    )
    assert again.status_code == 409
    assert client.get("/api/v1/partnership/actions/?rag=red").json()["count"] == 1
    # Strict fields: a number where the schema says string is refused.
    bad = client.post(
        "/api/v1/partnership/boards/", {"name": 5, "kind": "prevent_board"}, format="json"
    )
    assert bad.status_code == 400


def test_the_pages_hold_a_meeting_and_sign_off_its_minutes(people, board, client):
    client.force_login(people.lead)
    meeting = _meeting(people, board)
    today = timezone.localdate()
    response = client.post(
        f"/partnership/meetings/{meeting.pk}/hold/",
        {"attended": [str(m.pk) for m in board.members[:3]], "minutes": "We met."},
    )
    assert response.status_code == 302
    response = client.post(
        f"/partnership/actions/new/?meeting={meeting.pk}",
        {
            "description": "Check venues",
            "owner": "Libraries",
            "due_date_0": today.day,
            "due_date_1": today.month,
            "due_date_2": today.year,
            "rag": "green",
        },
    )
    assert response.status_code == 302
    assert client.get(f"/partnership/meetings/{meeting.pk}/sign-off/").status_code == 200
    assert client.post(f"/partnership/meetings/{meeting.pk}/sign-off/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_locked
    assert Action.objects.filter(meeting=meeting).count() == 1
    page = client.get(f"/partnership/meetings/{meeting.pk}/").content.decode()
    assert "Minutes signed off" in page
    assert "Green" in page


def test_a_date_left_incomplete_is_named_in_the_error(people, board, client):
    client.force_login(people.lead)
    response = client.post(
        f"/partnership/boards/{board.board.pk}/meetings/new/",
        {"date_0": "12", "date_1": "", "date_2": "2026", "location": "Hall"},
    )
    assert response.status_code == 400
    assert "The date of the meeting must include a month" in response.content.decode()


def test_non_borough_lead_role_list_is_403_not_a_crash(world, board):
    referrer = world.user(Role.REFERRER)
    assert api(referrer).get("/api/v1/partnership/meetings/").status_code == 403
