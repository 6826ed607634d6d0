"""The officer's "Download these cases (CSV)": scope, columns, formulas, reason, job and audit.

The file is written by ``referrals.exports``: PostgreSQL's COPY on PostgreSQL, ``csv.writer``
elsewhere. ``EXPECTED`` is written out by hand, and both ways must produce it byte for byte
(the SQLite run checks one, the PostgreSQL run the other and both side by side).
"""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from prevent_cms.models import AuditEvent, AuditTally, Job
from referrals import exports, services
from referrals.choices import AGE_GROUP_LABELS, Gender, State
from referrals.models import Referral, Subject
from referrals.selectors import referral_access_log, referrals_for_export
from reports.selectors import AGE_GROUPS as STATISTICS_AGE_GROUPS
from tests.factories import UserFactory
from tests.referrals import factories as f

LONDON = ZoneInfo("Europe/London")
REASON = "Quarterly performance return for the Home Office."
HEADER = (
    "case_reference,received_on (YYYY-MM-DD),stage,stage_label,is_urgent,"
    "local_authority_name,route,route_label,"
    "referrer_sector,referrer_sector_label,concern_type,concern_type_label,"
    "suggested_concern_types,suggested_concern_types_label,gender,gender_label,age_group,"
    "age_group_label"
)
ONLINE = "online,Online (this service),education,Education"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _set(referral: Referral, **fields) -> Referral:
    """Give a case fixed values (dates, reference) so the expected file can be written out."""
    Referral.objects.filter(pk=referral.pk).update(**fields)
    referral.refresh_from_db()
    return referral


def _subject(referral: Referral, **fields) -> None:
    Subject.objects.filter(pk=referral.subject_id).update(**fields)


@pytest.fixture
def officer(world):
    return f.officer_for(world)


@pytest.fixture
def cases(world, officer):
    """Cases of the officer's force (boroughs A and B) in several states, one of another
    force, and a draft: each with fixed values."""
    at = datetime.datetime(2025, 1, 10, 23, 30, tzinfo=datetime.UTC)  # 10 Jan in London
    summer = datetime.datetime(2024, 6, 30, 23, 30, tzinfo=datetime.UTC)  # 1 Jul in London
    submitted = _set(f.submitted(world), reference="PRV-T-000001", submitted_at=at)
    _subject(submitted, date_of_birth=datetime.date(2010, 1, 11), gender="male")  # 14 on 10 Jan
    urgent = _set(
        f.submitted(world, immediate_risk=True, concern_types=["islamist", "left_wing"]),
        reference="PRV-T-000002",
        submitted_at=at + datetime.timedelta(hours=1),
    )
    _subject(urgent, date_of_birth=datetime.date(2009, 1, 11), gender="female")  # 16 on 11 Jan
    assessed = _set(
        f.assessed(
            world,
            officer=officer,
            referrer=f.referrer_for(world, world.school_b),
            concern_types=["islamist"],
        ),
        reference="PRV-T-000003",
        submitted_at=summer,
    )
    _subject(assessed, date_of_birth=None, gender="")
    closed = _set(
        f.closed_by_police(world, officer=officer, concern_types=[]),
        reference="PRV-T-000004",
        submitted_at=summer - datetime.timedelta(days=400),
    )
    _subject(closed, date_of_birth=datetime.date(1960, 5, 1), gender="not_known")
    other_force = _set(
        f.submitted(world, referrer=f.referrer_for(world, world.school_c)),
        reference="PRV-T-000005",
    )
    draft = _set(f.draft(world), reference="PRV-T-000006")
    return {
        "submitted": submitted,
        "urgent": urgent,
        "assessed": assessed,
        "closed": closed,
        "other_force": other_force,
        "draft": draft,
    }


EXPECTED = "\n".join(
    [
        HEADER,
        # Oldest first, by the day received in London (23:30 UTC in summer is the next day).
        f"PRV-T-000004,2023-05-28,closed,Closed,no,Northbridge,{ONLINE},extreme_right_wing,"
        "Extreme right-wing,,,not_known,Not known,61_and_over,61 and over",
        "PRV-T-000003,2024-07-01,police_assessment,Police assessment,no,Southmere,"
        f"{ONLINE},extreme_right_wing,"
        "Extreme right-wing,islamist,Islamist,,,unknown,Unknown",
        f"PRV-T-000001,2025-01-10,submitted,Submitted,no,Northbridge,{ONLINE},extreme_right_wing,"
        "Extreme right-wing,extreme_right_wing,Extreme right-wing,male,Male,11_to_15,11 to 15",
        f"PRV-T-000002,2025-01-11,submitted,Submitted,yes,Northbridge,{ONLINE},islamist,Islamist,"
        'islamist;left_wing,"Islamist; Left-wing, anarchist or single-issue",female,Female,'
        "16_to_17,16 to 17",
    ]
)


def _csv(queryset, writer=exports.write_csv) -> str:
    out = io.BytesIO()
    writer(queryset, out)
    data = out.getvalue()
    assert data.startswith(exports.BOM)
    return data[len(exports.BOM) :].decode()


def test_the_file_holds_every_case_of_the_force_with_the_agreed_columns(officer, cases):
    content = _csv(referrals_for_export(officer))
    assert content == EXPECTED + "\n"


@pytest.mark.postgres
def test_copy_and_csv_writer_write_the_same_bytes(officer, cases, world):
    """PostgreSQL's COPY (formulas neutralised in SQL) and csv.writer (in Python) agree,
    including quotes, commas, empty values and formula cells."""
    world.la_a.name = 'North, "bridge"'
    world.la_a.save()
    _set(cases["submitted"], reference="=1+1", concern_types=["@SUM(A1)", "-2"])
    _set(cases["urgent"], reference="\tTab")
    queryset = referrals_for_export(officer)
    copied = _csv(queryset, exports.write_csv_copy)
    written = _csv(queryset, exports.write_csv_rows)
    assert copied == written
    assert "'=1+1" in copied
    assert '"North, ""bridge"""' in copied


def test_spreadsheet_formulas_are_neutralised(officer, cases, world):
    world.la_a.name = '=HYPERLINK("http://x")'
    world.la_a.save()
    _set(cases["submitted"], reference="+44", concern_types=["-1", "islamist"])
    _set(cases["urgent"], reference="@cmd", concern_types=["\rcarriage"])
    _subject(cases["closed"], gender="\tx")
    header, *rows = csv.reader(io.StringIO(_csv(referrals_for_export(officer)), newline=""))
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_reference) == {"'+44", "'@cmd", "PRV-T-000003", "PRV-T-000004"}
    assert by_reference["'+44"]["local_authority_name"] == '\'=HYPERLINK("http://x")'
    # Only the first character of a cell counts: "-1;islamist" starts with "-".
    assert by_reference["'+44"]["suggested_concern_types"] == "'-1;islamist"
    assert by_reference["'@cmd"]["suggested_concern_types"] == "'\rcarriage"
    assert by_reference["PRV-T-000004"]["gender"] == "'\tx"
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_filters_narrow_the_file(officer, cases, world):
    def references(**filters):
        content = _csv(referrals_for_export(officer, **filters))
        return [line.split(",")[0] for line in content.splitlines()[1:]]

    assert references(state=State.SUBMITTED) == ["PRV-T-000001", "PRV-T-000002"]
    assert references(urgent=True) == ["PRV-T-000002"]
    assert references(local_authority=world.la_b) == ["PRV-T-000003"]
    assert "PRV-T-000004" not in references(include_closed=False)
    assert references(state=State.CLOSED) == ["PRV-T-000004"]


def test_age_groups_are_the_statistics_groups_counted_as_age_on_counts(officer, world):
    assert exports.AGE_GROUPS == STATISTICS_AGE_GROUPS
    day = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=LONDON)
    births = [
        datetime.date(2014, 3, 1),  # 10 today
        datetime.date(2013, 3, 1),  # 11 today
        datetime.date(2013, 3, 2),  # 10, 11 tomorrow
        datetime.date(2008, 2, 29),  # 16 (leap-day birthday, passed)
        datetime.date(2006, 3, 2),  # 17
        datetime.date(1963, 3, 1),  # 61
        datetime.date(1963, 3, 2),  # 60
        datetime.date(2030, 1, 1),  # born after the referral: bad data, youngest group
    ]
    for k, born in enumerate(births):
        referral = _set(
            f.direct(f.SubmittedFactory, world), reference=f"PRV-AGE-{k:03d}", submitted_at=day
        )
        _subject(referral, date_of_birth=born)
    content = _csv(referrals_for_export(officer))
    header, *rows = csv.reader(io.StringIO(content, newline=""))
    got = {row[0]: dict(zip(header, row, strict=True))["age_group"] for row in rows}

    def group(age):
        for code, low, high in STATISTICS_AGE_GROUPS:
            if (low is None or age >= low) and (high is None or age <= high):
                return code
        return "unknown"

    for k, born in enumerate(births):
        age = Subject(date_of_birth=born).age_on(day.date())
        assert got[f"PRV-AGE-{k:03d}"] == group(age), (born, age)


def _request(client, data):
    return client.post(reverse("referrals:queue_export"), data)


def test_officer_downloads_the_list_from_the_queue(
    client, officer, cases, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    page = client.get(reverse("referrals:queue"), {"urgent": "on"}).content.decode()
    assert reverse("referrals:queue_export") + "?urgent=on" in page
    assert "Download these cases (CSV)" in page

    searched = client.post(reverse("referrals:queue"), {"urgent": "on", "q": "Smith"})
    query = searched["Location"].split("?", 1)[1]
    assert "Smith" not in query
    page = client.get(reverse("referrals:queue_export") + "?" + query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your search for a reference or name is not applied" in text
    assert 'name="urgent" value="on"' in text
    assert 'name="q"' not in text  # the search is not carried into the export

    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, {"urgent": "on", "reason": REASON})
    job = Job.objects.get(owner=officer, kind=exports.EXPORT_KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("job_status", args=[job.pk])
    assert job.params == {**exports.FILTER_DEFAULTS, "urgent": True, "include_closed": False}
    assert REASON not in str(job.params)
    assert job.state == Job.State.DONE
    assert job.result_name.endswith(".csv")
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body.startswith(exports.BOM)
    lines = body[len(exports.BOM) :].decode().splitlines()
    assert lines[0] == HEADER
    assert [line.split(",")[0] for line in lines[1:]] == ["PRV-T-000002"]


def test_the_whole_force_includes_closed_cases_and_nothing_else(
    client, officer, cases, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, {"include_closed": "on", "reason": REASON})
    job = Job.objects.get(owner=officer)
    content = job.result.read().decode("utf-8-sig")
    assert content == EXPECTED + "\n"
    for key in ("other_force", "draft"):
        assert cases[key].reference not in content


def test_a_reason_is_required(client, officer, cases):
    client.force_login(officer)
    for reason in ("", "   ", "because"):
        response = _request(client, {"reason": reason})
        assert response.status_code == 200
        page = response.content.decode()
        assert "There is a problem" in page
        assert "Give the reason you need this list of cases" in page
        assert 'href="#id_reason"' in page
    assert not Job.objects.exists()


def test_a_local_authority_of_another_force_is_refused(client, officer, cases, world):
    client.force_login(officer)
    response = _request(client, {"local_authority": str(world.la_c.pk), "reason": REASON})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Job.objects.exists()


NOT_EXPORTERS = {
    "referrer": ([Role.REFERRER], "school_a"),
    "agency_lead": ([Role.AGENCY_LEAD], "school_a"),
    "channel_chair": ([Role.CHANNEL_CHAIR], "council_a"),
    "panel_member": ([Role.PANEL_MEMBER], "council_a"),
    "intervention_provider": ([Role.INTERVENTION_PROVIDER], "community_a"),
    "borough_lead": ([Role.BOROUGH_LEAD], "council_a"),
    "system_admin": ([Role.SYSTEM_ADMIN], "council_a"),
}


@pytest.mark.parametrize("role", list(NOT_EXPORTERS))
def test_only_prevent_officers_may_export(client, world, cases, role):
    roles, agency = NOT_EXPORTERS[role]
    client.force_login(world.user(*roles, agency=getattr(world, agency)))
    assert client.get(reverse("referrals:queue_export")).status_code == 403
    assert _request(client, {"reason": REASON, "include_closed": "on"}).status_code == 403
    assert not Job.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("referrals:queue_export"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_officer_of_another_force_gets_only_their_own_cases(
    client, world, cases, django_capture_on_commit_callbacks
):
    other = f.officer_for(world, world.police_c)
    client.force_login(other)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, {"include_closed": "on", "reason": REASON})
    content = Job.objects.get(owner=other).result.read().decode("utf-8-sig")
    assert [line.split(",")[0] for line in content.splitlines()[1:]] == ["PRV-T-000005"]


def test_an_officer_who_also_refers_never_exports_another_forces_referral(world, cases):
    """Their own referral elsewhere is visible to them as its referrer, not as an officer."""
    officer = UserFactory(agency=world.police_a, roles=[Role.PREVENT_OFFICER, Role.REFERRER])
    theirs = f.submitted(world, referrer=officer)
    Referral.objects.filter(pk=theirs.pk).update(
        local_authority=world.la_c, police_force=world.other_force
    )
    content = _csv(referrals_for_export(officer))
    assert theirs.reference not in content


def _run_export(client, officer, django_capture_on_commit_callbacks, **data) -> Job:
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, {"include_closed": "on", "reason": REASON, **data})
    return Job.objects.get(owner=officer)


def test_the_export_and_every_exported_case_are_audited_with_the_reason(
    client, officer, cases, django_capture_on_commit_callbacks
):
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    job = _run_export(client, officer, django_capture_on_commit_callbacks)
    events = AuditEvent.objects.filter(pk__gt=since)

    requested = events.get(action=exports.REQUESTED)
    assert (requested.actor, requested.reason) == (officer, REASON)
    exported = events.get(action=exports.EXPORTED)
    assert (exported.actor, exported.reason, exported.object_id) == (officer, REASON, str(job.pk))
    assert exported.detail == {**exports.FILTER_DEFAULTS, "rows": 4}

    per_case = events.filter(action=exports.CASE_EXPORTED)
    exported_ids = {cases[k].pk for k in ("submitted", "urgent", "assessed", "closed")}
    assert set(per_case.values_list("object_id", flat=True)) == {str(pk) for pk in exported_ids}
    assert per_case.count() == 4
    for event in per_case:
        assert (event.actor, event.reason, event.object_type) == (
            officer,
            REASON,
            "referrals.referral",
        )
        assert event.detail == {"via": "export", "job": str(job.pk)}
    assert not events.filter(object_id=str(cases["other_force"].pk)).exists()

    # The case's "who has seen this case" shows the export, with why.
    client.get(reverse("referrals:detail", args=[cases["assessed"].pk]))
    log = list(referral_access_log(cases["assessed"]))
    assert any(e.action == exports.CASE_EXPORTED and e.reason == REASON for e in log)
    page = client.get(reverse("referrals:detail", args=[cases["assessed"].pk])).content.decode()
    assert "Exported the case in a case list file" in page
    assert REASON in page


def test_the_export_is_counted_in_who_has_seen_each_case(
    client, officer, cases, django_capture_on_commit_callbacks
):
    """The case page's summary reads ``AuditTally``: an export (written by ``INSERT … SELECT``
    on PostgreSQL, ``bulk_create`` elsewhere) must be counted there like any other read."""
    _run_export(client, officer, django_capture_on_commit_callbacks)
    for key in ("submitted", "urgent", "assessed", "closed"):
        case_id = str(cases[key].pk)
        trail = AuditEvent.objects.filter(
            object_type="referrals.referral", object_id=case_id, actor=officer
        )
        tally = AuditTally.objects.get(
            object_type="referrals.referral", object_id=case_id, actor_key=str(officer.pk)
        )
        assert tally.events == trail.count()
        assert tally.last_at == trail.latest("at").at


def test_running_the_job_again_changes_nothing(
    client, officer, cases, django_capture_on_commit_callbacks
):
    job = _run_export(client, officer, django_capture_on_commit_callbacks)
    name, count = job.result.name, AuditEvent.objects.count()
    assert exports.referral_export_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.result.name, AuditEvent.objects.count()) == (
        Job.State.DONE,
        name,
        count,
    )


def test_the_task_checks_the_owner_again(
    client, officer, cases, django_capture_on_commit_callbacks
):
    """An officer who lost the role between asking and the job running gets no file."""
    client.force_login(officer)
    job = services.referral_export_request(
        actor=officer, filters={"include_closed": True}, reason=REASON
    )
    officer.role_grants.all().delete()
    officer.__dict__.pop("roles", None)
    assert exports.referral_export_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert not job.result
    assert not AuditEvent.objects.filter(action=exports.CASE_EXPORTED).exists()


def test_the_job_parameters_hold_codes_and_ids_only(officer, world):
    job = services.referral_export_request(
        actor=officer,
        filters={"state": "submitted", "local_authority": world.la_a, "sector": "health"},
        reason="Named person: Jane Example, for the return.",
    )
    assert job.params == {
        **exports.FILTER_DEFAULTS,
        "state": "submitted",
        "local_authority": str(world.la_a.pk),
        "sector": "health",
    }
    assert "Jane" not in str(job.params)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_on_postgresql_the_job_runs_in_one_repeatable_read_snapshot(world):
    """As a worker runs it, outside any test transaction (the eager task runs on commit):
    SET TRANSACTION works, and the file and the audit rows name the same cases."""
    officer = f.officer_for(world)
    for _ in range(3):
        f.direct(f.SubmittedFactory, world)
    job = services.referral_export_request(
        actor=officer, filters={"include_closed": True}, reason=REASON
    )
    assert not connection.in_atomic_block
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    lines = job.result.read().decode("utf-8-sig").splitlines()
    assert len(lines) == 4
    per_case = AuditEvent.objects.filter(action=exports.CASE_EXPORTED)
    assert {line.split(",")[0] for line in lines[1:]} == set(
        Referral.objects.filter(
            pk__in=list(per_case.values_list("object_id", flat=True))
        ).values_list("reference", flat=True)
    )
    assert exports.referral_export_run(job_id=job.pk) is None


def test_labels_follow_the_askers_language_and_codes_and_headers_do_not(
    client, officer, cases, django_capture_on_commit_callbacks
):
    """Issue 19: a Welsh-speaking officer's file has Welsh labels beside the same codes, under
    the same headers (analysts' formulas work on either); the language is kept on the job
    row, never in the task's arguments or parameters."""
    officer.language = "cy"
    officer.save(update_fields=["language"])
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, {"include_closed": "on", "reason": REASON})
    job = Job.objects.get(owner=officer)
    assert job.language == "cy"
    assert "cy" not in str(job.params)
    rows = list(csv.reader(io.StringIO(job.result.read().decode("utf-8-sig"))))
    assert ",".join(rows[0]) == HEADER
    english = list(csv.reader(io.StringIO(EXPECTED)))
    columns = rows[0]
    with translation.override("cy"):
        welsh = {
            "stage_label": str(State.CLOSED.label),
            "gender_label": str(Gender.NOT_KNOWN.label),
            "age_group_label": str(AGE_GROUP_LABELS["61_and_over"]),
            "concern_type_label": translation.gettext("Extreme right-wing"),
        }
        welsh_suggested = translation.gettext("Islamist")
    first = dict(zip(columns, rows[1], strict=True))
    first_english = dict(zip(columns, english[1], strict=True))
    for column, label in welsh.items():
        assert first[column] == label != first_english[column], column
    for column in ("stage", "gender", "age_group", "concern_type", "route", "case_reference"):
        assert first[column] == first_english[column], column
    assert first["received_on (YYYY-MM-DD)"] == "2023-05-28"
    third = dict(zip(columns, rows[2], strict=True))
    assert third["suggested_concern_types"] == "islamist"
    assert third["suggested_concern_types_label"] == welsh_suggested != "Islamist"
