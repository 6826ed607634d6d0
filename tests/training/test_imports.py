"""Row-by-row checks, the preview, and all-or-nothing imports (inline and as a job)."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from accounts.models import Role
from prevent_cms.errors import InvalidInput
from prevent_cms.models import Job
from tests.helpers import audit_actions
from tests.training.factories import StaffMemberFactory, TrainingRecordFactory
from tests.training.importing import csv_upload, uk, xlsx_upload
from training.dates import today
from training.imports.jobs import import_check_start, import_run_start
from training.imports.reader import FileRejected
from training.imports.services import (
    import_batch_cancel,
    import_batch_check,
    import_batch_confirm,
    import_batch_create,
    import_batch_run,
)
from training.models import ImportBatch, ImportRow, StaffMember, TrainingRecord

FULL = [
    "Name", "Email", "Agency", "Department", "Role", "Frontline", "Contractor",
    "Elected member", "Course", "Delivery mode", "Completed on",
]  # fmt: skip


@pytest.fixture
def lead(world):
    return world.user(Role.AGENCY_LEAD, agency=world.school_a)


def check(lead, upload):
    batch, sheet = import_batch_create(actor=lead, upload=upload)
    return import_batch_check(batch_id=batch.pk, sheet=sheet)


def rows_of(batch) -> dict[int, ImportRow]:
    return {row.number: row for row in batch.rows.all()}


def run(lead, batch):
    batch = import_batch_confirm(actor=lead, batch_id=batch.pk)
    return import_batch_run(batch_id=batch.pk)


class TestRowChecks:
    def test_good_rows_are_new_records(self, lead, awareness):
        batch = check(
            lead, csv_upload([["Ffion Jenkins", "FFION@example.org", "awareness", "15/03/2025"]])
        )
        assert batch.state == ImportBatch.State.READY
        row = rows_of(batch)[2]
        assert row.action == ImportRow.Action.CREATE, row.problems
        assert row.data["email"] == "ffion@example.org"
        assert row.course_name == "Prevent awareness"
        assert not TrainingRecord.objects.exists()  # nothing is written by the check

    @pytest.mark.parametrize(
        ("cells", "problem"),
        [
            (
                ["Ffion", "ffion@example.org", "basket weaving", "15/03/2025"],
                "Unknown course ‘basket weaving’",
            ),
            (
                ["Ffion", "ffion@example.org", "awareness", "31/02/2025"],
                "‘31/02/2025’ is not a date",
            ),
            (["Ffion", "ffion@example.org", "awareness", "03/15/2025"], "day/month/year"),
            (["Ffion", "ffion@example.org", "awareness", "45366"], "is not a date"),
            (["Ffion", "ffion@example.org", "awareness", ""], "Enter the completion date"),
            (
                ["Ffion", "ffion@example.org", "awareness", uk(today() + timedelta(days=3))],
                "today or in the past",
            ),
            (["Ffion", "ffion@example.org", "awareness", "01/01/1990"], "Check the year"),
            (["Ffion", "ffion at example", "awareness", "15/03/2025"], "is not an email address"),
            (["Ffion", "", "awareness", "15/03/2025"], "Enter the person’s email address"),
            (["", "ffion@example.org", "awareness", "15/03/2025"], "Enter the person’s name"),
            (
                ['=HYPERLINK("http://x")', "f@example.org", "awareness", "15/03/2025"],
                "treat as a formula",
            ),
            (["@SUM(A1)", "f@example.org", "awareness", "15/03/2025"], "treat as a formula"),
            (["Ffion", "f@example.org", "+awareness", "15/03/2025"], "treat as a formula"),
        ],
    )
    def test_bad_rows_are_rejected_with_a_reason(self, lead, awareness, cells, problem):
        batch = check(lead, csv_upload([cells]))
        row = rows_of(batch)[2]
        assert row.action == ImportRow.Action.REJECT
        assert any(problem in message for message in row.problems), row.problems

    def test_agency_must_be_the_leads_own(self, world, lead, awareness):
        headers = ["Name", "Email", "Agency", "Course", "Completed on"]
        batch = check(
            lead,
            csv_upload(
                [
                    ["A", "a@example.org", "Northbridge Academy", "awareness", "1/3/2025"],
                    ["B", "b@example.org", "northbridge health", "awareness", "1/3/2025"],
                    ["C", "c@example.org", "Westford School", "awareness", "1/3/2025"],
                    ["D", "d@example.org", "Nowhere Primary", "awareness", "1/3/2025"],
                ],
                headers,
            ),
        )
        rows = rows_of(batch)
        assert rows[2].action == ImportRow.Action.CREATE
        assert "only import training for Northbridge Academy" in rows[3].problems[0]
        assert "Unknown agency ‘Westford School’" in rows[4].problems[0]  # other borough
        assert "Unknown agency ‘Nowhere Primary’" in rows[5].problems[0]

    def test_duplicates_in_the_file_are_rejected(self, lead, awareness):
        row = ["Ffion", "ffion@example.org", "awareness", "15/03/2025"]
        batch = check(
            lead,
            csv_upload([row, ["Ffion", "FFION@example.org", "Prevent awareness", "2025-03-15"]]),
        )
        rows = rows_of(batch)
        assert rows[2].action == ImportRow.Action.CREATE
        assert rows[3].action == ImportRow.Action.REJECT
        assert rows[3].problems == ["Same person, course and completion date as row 2."]

    def test_existing_records_are_updates_or_left_alone(self, world, lead, awareness):
        staff = StaffMemberFactory(agency=world.school_a, email="ffion@example.org", name="Ffion")
        TrainingRecordFactory(staff=staff, course=awareness, completed_on=date(2025, 3, 15))
        TrainingRecordFactory(staff=staff, course=awareness, completed_on=date(2024, 3, 15))
        headers = ["Name", "Email", "Course", "Completed on", "Delivery mode"]
        batch = check(
            lead,
            csv_upload(
                [
                    ["Ffion", "ffion@example.org", "awareness", "15/03/2025", ""],
                    ["Ffion", "ffion@example.org", "awareness", "15/03/2024", "face to face"],
                    ["Ffion", "ffion@example.org", "refresher", "15/03/2026", ""],
                ],
                headers,
            ),
        )
        rows = rows_of(batch)
        assert rows[2].action == ImportRow.Action.UNCHANGED
        assert rows[3].action == ImportRow.Action.UPDATE
        assert rows[4].action in (ImportRow.Action.CREATE, ImportRow.Action.REJECT)
        assert (batch.unchanged_count, batch.update_count) == (1, 1)

    def test_unknown_role_or_delivery_mode_warns_and_records_other(self, lead, awareness):
        batch = check(
            lead,
            csv_upload(
                [
                    [
                        "Ffion",
                        "f@example.org",
                        "awareness",
                        "15/03/2025",
                        "Teacher of Maths",
                        "carrier pigeon",
                        "maybe",
                    ]
                ],
                ["Name", "Email", "Course", "Completed on", "Role", "Delivery mode", "Frontline"],
            ),
        )
        row = rows_of(batch)[2]
        assert row.action == ImportRow.Action.REJECT
        assert row.problems == ["Frontline must be yes or no, not ‘maybe’."]
        assert len(row.warnings) == 2
        assert "recorded as Other" in row.warnings[0]

    def test_referrals_without_awareness_warns_unless_the_file_has_it(self, lead, awareness):
        batch = check(
            lead,
            csv_upload(
                [
                    ["Ffion", "f@example.org", "referrals", "15/03/2025"],
                    ["Ffion", "f@example.org", "awareness", "10/03/2025"],
                    ["Rhys", "r@example.org", "referrals", "15/03/2025"],
                ]
            ),
        )
        rows = rows_of(batch)
        assert rows[2].action == rows[4].action == ImportRow.Action.CREATE
        assert rows[2].warnings == []
        assert "normally taken after Prevent awareness" in rows[4].warnings[0]

    def test_xlsx_formulas_and_date_cells(self, lead, awareness):
        batch = check(
            lead,
            xlsx_upload(
                [
                    ["Ffion", "f@example.org", "awareness", date(2025, 3, 15)],
                    ["=A2", "g@example.org", "awareness", date(2025, 3, 15)],
                ]
            ),
        )
        rows = rows_of(batch)
        assert rows[2].action == ImportRow.Action.CREATE
        assert rows[2].completed_on == "15 Mar 2025"
        assert rows[3].action == ImportRow.Action.REJECT
        assert "formula" in rows[3].problems[0]

    @pytest.mark.parametrize(
        "cell",
        ["2025-03-15", "15/03/2025", "15-3-2025", "15th March 2025", date(2025, 3, 15), 45731],
    )
    def test_each_way_of_writing_a_completion_date_is_read(self, lead, awareness, cell):
        """One parser for every import (issue 19): ISO, day/month/year, a date cell or the
        day number Excel keeps behind a date formatted as a number."""
        upload = xlsx_upload if isinstance(cell, date | int) else csv_upload
        batch = check(lead, upload([["Ffion", "f@example.org", "awareness", cell]]))
        row = rows_of(batch)[2]
        assert row.action == ImportRow.Action.CREATE, row.problems
        assert row.data["completed_on"] == "2025-03-15"

    def test_a_two_digit_year_is_refused_not_guessed(self, lead, awareness):
        batch = check(lead, csv_upload([["Ffion", "f@example.org", "awareness", "15/03/25"]]))
        row = rows_of(batch)[2]
        assert row.action == ImportRow.Action.REJECT
        assert row.problems == [
            "‘15/03/25’ has a year of 2 figures. Write the year in full, for example 15/03/2024."
        ]

    def test_checking_costs_the_same_queries_for_10_or_1000_rows(
        self, lead, awareness, django_assert_max_num_queries
    ):
        def rows(n):
            return [[f"P{i}", f"p{i}@example.org", "awareness", "1/3/2025"] for i in range(n)]

        # Reads are fixed; only the preview rows' bulk insert is split into chunks.
        for count, most in ((10, 13), (1000, 13 + 1000 // 80)):
            batch, sheet = import_batch_create(actor=lead, upload=csv_upload(rows(count)))
            with django_assert_max_num_queries(most):
                import_batch_check(batch_id=batch.pk, sheet=sheet)


class TestImporting:
    def test_only_the_accepted_rows_are_written(self, world, lead, awareness):
        full = [
            ["Ffion Jenkins", "ffion@example.org", "Northbridge Academy", "Science", "DSL",
             "yes", "no", "no", "awareness", "online", "15/03/2025"],
            ["Rhys Owen", "rhys@example.org", "", "", "", "", "yes", "", "Prevent awareness",
             "face to face", "2025-02-01"],
            ["Bad Row", "bad@example.org", "", "", "", "", "", "", "nonsense", "", "15/03/2025"],
        ]  # fmt: skip
        batch = check(lead, csv_upload(full, FULL))
        assert (batch.create_count, batch.reject_count) == (2, 1)
        batch = run(lead, batch)
        assert batch.state == ImportBatch.State.DONE
        ffion = StaffMember.objects.get(email="ffion@example.org")
        assert (ffion.role, ffion.frontline, ffion.department) == (
            "safeguarding_lead",
            True,
            "Science",
        )
        rhys = StaffMember.objects.get(email="rhys@example.org")
        assert rhys.contractor
        assert rhys.role == "other"
        record = rhys.records.get()
        assert record.delivery_mode == "face_to_face"
        assert record.expires_on == date(2027, 2, 1)
        assert record.import_batch == batch
        assert TrainingRecord.objects.count() == 2
        assert not batch.file  # the upload is not kept once imported
        actions = audit_actions(object_id=str(batch.pk))
        assert actions == [
            "training.import.uploaded",
            "training.import.confirmed",
            "training.import.completed",
        ]

    def test_updates_keep_what_blank_cells_do_not_give(self, world, lead, awareness):
        staff = StaffMemberFactory(
            agency=world.school_a,
            email="ffion@example.org",
            department="Science",
            role="practitioner",
        )
        record = TrainingRecordFactory(
            staff=staff, course=awareness, completed_on=date(2025, 3, 15)
        )
        headers = ["Name", "Email", "Course", "Completed on", "Role", "Department"]
        batch = check(
            lead,
            csv_upload(
                [["Ffion J", "ffion@example.org", "awareness", "15/3/2025", "", ""]], headers
            ),
        )
        assert batch.update_count == 1
        run(lead, batch)
        staff.refresh_from_db()
        record.refresh_from_db()
        assert (staff.name, staff.department, staff.role) == ("Ffion J", "Science", "practitioner")
        assert TrainingRecord.objects.count() == 1

    def test_a_failure_while_writing_leaves_nothing_behind(self, lead, awareness):
        rows = [[f"P{i}", f"p{i}@example.org", "awareness", "1/3/2025"] for i in range(50)]
        batch = check(lead, csv_upload(rows))
        batch = import_batch_confirm(actor=lead, batch_id=batch.pk)
        real = TrainingRecord.objects.bulk_create

        def explode(objs, *args, **kwargs):
            real(list(objs)[:10], *args, **kwargs)
            raise IntegrityError("simulated clash")

        with mock.patch.object(TrainingRecord.objects, "bulk_create", side_effect=explode):
            batch = import_batch_run(batch_id=batch.pk)
        assert batch.state == ImportBatch.State.FAILED
        assert "nothing was imported" in batch.error
        assert not TrainingRecord.objects.exists()
        assert not StaffMember.objects.exists()

    def test_records_added_after_the_check_stop_the_import(self, world, lead, awareness):
        batch = check(lead, csv_upload([["Ffion", "ffion@example.org", "awareness", "15/03/2025"]]))
        staff = StaffMemberFactory(agency=world.school_a, email="ffion@example.org")
        TrainingRecordFactory(staff=staff, course=awareness, completed_on=date(2025, 3, 15))
        batch = run(lead, batch)
        assert batch.state == ImportBatch.State.FAILED
        assert "changed after the file was checked" in batch.error
        assert TrainingRecord.objects.count() == 1

    def test_running_twice_imports_once(self, lead, awareness):
        batch = check(lead, csv_upload([["Ffion", "ffion@example.org", "awareness", "15/03/2025"]]))
        batch = run(lead, batch)
        assert import_batch_run(batch_id=batch.pk).state == ImportBatch.State.DONE
        assert TrainingRecord.objects.count() == 1

    def test_confirm_cancel_and_permissions(self, world, lead, awareness):
        batch = check(lead, csv_upload([["Ffion", "ffion@example.org", "awareness", "15/03/2025"]]))
        other = world.user(Role.AGENCY_LEAD, agency=world.school_a)
        with pytest.raises(PermissionDenied):
            import_batch_confirm(actor=other, batch_id=batch.pk)
        import_batch_cancel(actor=lead, batch_id=batch.pk)
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.CANCELLED
        assert not batch.rows.exists()
        with pytest.raises(InvalidInput):
            import_batch_confirm(actor=lead, batch_id=batch.pk)

    def test_nothing_to_import_cannot_be_confirmed(self, lead, awareness):
        batch = check(lead, csv_upload([["Ffion", "ffion@example.org", "nonsense", "15/03/2025"]]))
        with pytest.raises(InvalidInput, match="nothing in this file"):
            import_batch_confirm(actor=lead, batch_id=batch.pk)

    def test_borough_leads_cannot_import(self, world):
        borough = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
        with pytest.raises(PermissionDenied):
            import_batch_create(actor=borough, upload=csv_upload([]))

    def test_a_rejected_file_stores_nothing(self, lead):
        with pytest.raises(FileRejected):
            import_batch_create(actor=lead, upload=csv_upload([["x"]], ["Name"]))
        assert not ImportBatch.objects.exists()


class TestLargeFilesAsJobs:
    def test_5000_rows_are_checked_and_imported_as_jobs_with_progress(
        self, lead, awareness, django_capture_on_commit_callbacks
    ):
        rows = [
            [f"Person {i}", f"person{i}@example.org", "awareness", "1/3/2025"] for i in range(5000)
        ]
        batch, sheet = import_batch_create(actor=lead, upload=csv_upload(rows))
        progress = []
        real = __import__("prevent_cms.jobs", fromlist=["job_progress"]).job_progress

        def spy(job, value):
            progress.append(value)
            real(job, value)

        with (
            mock.patch("training.tasks.job_progress", side_effect=spy),
            django_capture_on_commit_callbacks(execute=True),
        ):
            batch = import_check_start(actor=lead, batch_id=batch.pk, sheet=sheet)
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.READY
        assert batch.job.kind == "training.import.check"
        assert batch.job.state == Job.State.DONE
        assert batch.create_count == 5000
        assert progress
        assert progress == sorted(progress)

        batch = import_batch_confirm(actor=lead, batch_id=batch.pk)
        with django_capture_on_commit_callbacks(execute=True):
            import_run_start(actor=lead, batch_id=batch.pk)
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.DONE
        assert batch.job.kind == "training.import.run"
        assert batch.job.state == Job.State.DONE
        assert batch.job.params == {"batch": str(batch.pk)}  # ids only in task arguments
        assert TrainingRecord.objects.count() == 5000
