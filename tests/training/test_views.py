"""HTML pages: dashboard, records, forms, certificates, imports and exports."""

import csv
import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from tests.helpers import audit_actions
from tests.training.factories import (
    CurrentRecordFactory,
    ExpiredRecordFactory,
    ExpiringSoonRecordFactory,
    StaffMemberFactory,
)
from tests.training.importing import csv_upload, xlsx_upload
from training.dates import today
from training.models import Course, ImportBatch, TrainingRecord

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def lead(world):
    return world.user(Role.AGENCY_LEAD, agency=world.school_a)


@pytest.fixture
def borough(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def staff_with(record_factory, agency, **kwargs):
    return record_factory(staff=StaffMemberFactory(agency=agency, **kwargs))


class TestDashboard:
    def test_borough_lead_sees_every_agency_with_charts_and_tables(self, client, world, borough):
        staff_with(CurrentRecordFactory, world.school_a, name="Cara Current")
        staff_with(ExpiringSoonRecordFactory, world.health_a, name="Sam Soon")
        staff_with(ExpiredRecordFactory, world.health_a, name="Eve Expired", contractor=True)
        staff_with(CurrentRecordFactory, world.school_b, name="Other Borough")
        client.force_login(borough)
        response = client.get(reverse("training:dashboard"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'role="img"' in html
        assert '<title id="chart-agency-title">Coverage by agency</title>' in html
        for heading in ("Coverage by agency", "Coverage by sector", "Coverage by role"):
            assert heading in html
        assert "Frontline staff" in html
        assert "Contractors" in html
        assert "Northbridge Health" in html
        assert "Southmere School" not in html
        assert "Other Borough" not in html
        assert "Eve Expired" in html
        assert "Sam Soon" in html
        assert "?q=" not in html  # people are linked by record id, never by name or e-mail
        coverage = response.context["coverage"]
        assert (coverage.total.staff, coverage.total.in_date) == (3, 2)
        assert coverage.total.percent_in_date == 66.7

    def test_agency_lead_sees_only_their_agency(self, client, world, lead):
        staff_with(ExpiredRecordFactory, world.school_a, name="Mine")
        staff_with(ExpiredRecordFactory, world.health_a, name="Not Mine")
        client.force_login(lead)
        html = client.get(reverse("training:dashboard")).content.decode()
        assert "Mine" in html
        assert "Not Mine" not in html
        assert "Record training" in html
        assert "Import a spreadsheet" in html

    def test_dashboard_queries_do_not_grow_with_staff(
        self, client, world, borough, django_assert_max_num_queries
    ):
        client.force_login(borough)
        for count in (3, 60):
            for _ in range(count):
                staff_with(ExpiredRecordFactory, world.school_a)
                staff_with(ExpiringSoonRecordFactory, world.health_a)
            with django_assert_max_num_queries(16):
                assert client.get(reverse("training:dashboard")).status_code == 200

    @pytest.mark.parametrize("role", [Role.REFERRER, Role.PREVENT_OFFICER, Role.SYSTEM_ADMIN])
    def test_other_roles_are_refused(self, client, world, role):
        client.force_login(world.user(role, agency=world.council_a))
        assert client.get(reverse("training:dashboard")).status_code == 403

    def test_home_panel_counts_who_is_due(self, client, world, lead):
        staff_with(ExpiredRecordFactory, world.school_a)
        staff_with(ExpiringSoonRecordFactory, world.school_a)
        client.force_login(lead)
        html = client.get("/").content.decode()
        assert "1 person’s Prevent training has expired" in html
        assert "1 person’s Prevent training expires within 60 days" in html
        assert 'href="/training/"' in html  # navigation


class TestRecordPages:
    def test_list_filters_and_keeps_queries_flat(
        self, client, world, lead, django_assert_max_num_queries
    ):
        client.force_login(lead)
        for count in (2, 40):
            for _ in range(count):
                staff_with(ExpiredRecordFactory, world.school_a)
                staff_with(CurrentRecordFactory, world.school_a)
            with django_assert_max_num_queries(12):
                response = client.get(reverse("training:record_list"))
            assert response.status_code == 200
        # The filters are GET parameters: the posted form answers with their address.
        response = client.post(reverse("training:record_list"), {"status": "expired"})
        assert response.url == reverse("training:record_list") + "?status=expired"
        response = client.get(response.url)
        assert response.context["page"].paginator.count == 42
        assert all(r.status() == "expired" for r in response.context["page"].object_list)

    def test_search_by_name(self, client, world, lead):
        staff_with(CurrentRecordFactory, world.school_a, name="Gwen Pritchard")
        staff_with(CurrentRecordFactory, world.school_a, name="Someone Else")
        client.force_login(lead)
        response = client.post(reverse("training:record_list"), {"q": "pritch"}, follow=True)
        # The search is kept in the session: no names in URLs (or request logs), only an
        # opaque search id.
        ((url, status),) = response.redirect_chain
        assert status == 302
        assert "pritch" not in url
        assert re.fullmatch(re.escape(reverse("training:record_list")) + r"\?search=[\w-]+", url)
        assert [r.staff.name for r in response.context["page"]] == ["Gwen Pritchard"]
        assert 'value="pritch"' in response.content.decode()
        cleared = client.post(reverse("training:record_list"), {"clear": "1"}, follow=True)
        assert cleared.context["page"].paginator.count == 2

    def test_record_training_with_certificate_and_warning(self, client, world, lead):
        client.force_login(lead)
        url = reverse("training:record_create")
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "person_name": "Nia Rees",
                "email": "nia.rees@example.org",
                "department": "Science",
                "role": "practitioner",
                "flags": ["frontline"],
                "course": str(_course("referrals").pk),
                "delivery_mode": "online",
                "completed_on_0": "31",
                "completed_on_1": "1",
                "completed_on_2": "2025",
                "certificate": SimpleUploadedFile("cert.pdf", PDF, "application/pdf"),
            },
            follow=True,
        )
        record = TrainingRecord.objects.get()
        assert response.redirect_chain[-1][0] == reverse("training:record_detail", args=[record.pk])
        html = response.content.decode()
        assert "Training record saved" in html
        assert "normally taken after Prevent awareness" in html
        assert record.expires_on == date(2027, 1, 31)
        assert record.staff.frontline

        download = client.get(reverse("training:certificate", args=[record.pk]))
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert download["Content-Type"] == "application/pdf"
        assert "training.certificate.downloaded" in audit_actions()

    def test_form_errors_are_clear(self, client, lead):
        client.force_login(lead)
        future = today() + timedelta(days=10)
        response = client.post(
            reverse("training:record_create"),
            {
                "person_name": "",
                "email": "not-an-email",
                "role": "practitioner",
                "course": str(_course("awareness").pk),
                "delivery_mode": "online",
                "completed_on_0": str(future.day),
                "completed_on_1": str(future.month),
                "completed_on_2": str(future.year),
                "certificate": SimpleUploadedFile(
                    "cert.pdf", b"MZ\x90\x00" * 20, "application/pdf"
                ),
            },
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in html
        assert "Enter the person’s full name" in html
        assert "Enter an email address in the correct format" in html
        assert not TrainingRecord.objects.exists()
        response = client.post(
            reverse("training:record_create"),
            {
                "person_name": "Nia",
                "email": "nia@example.org",
                "role": "practitioner",
                "course": str(_course("awareness").pk),
                "delivery_mode": "online",
                "completed_on_0": str(future.day),
                "completed_on_1": str(future.month),
                "completed_on_2": str(future.year),
            },
        )
        assert "The completion date must be today or in the past" in response.content.decode()
        response = client.post(
            reverse("training:record_create"),
            {
                "person_name": "Nia",
                "email": "nia@example.org",
                "role": "practitioner",
                "course": str(_course("awareness").pk),
                "delivery_mode": "online",
                "completed_on_0": "30",
                "completed_on_1": "2",
                "completed_on_2": "2025",
            },
        )
        assert "The completion date must be a real date" in response.content.decode()
        assert not TrainingRecord.objects.exists()

    def test_edit_and_delete_with_confirmation(self, client, world, lead):
        record = staff_with(CurrentRecordFactory, world.school_a, name="Old Name")
        client.force_login(lead)
        edit = reverse("training:record_edit", args=[record.pk])
        form = client.get(edit)
        assert 'value="Old Name"' in form.content.decode()
        response = client.post(
            edit,
            {
                "person_name": "New Name",
                "email": record.staff.email,
                "role": "support",
                "course": str(record.course_id),
                "delivery_mode": "face_to_face",
                "completed_on_0": str(record.completed_on.day),
                "completed_on_1": str(record.completed_on.month),
                "completed_on_2": str(record.completed_on.year),
            },
        )
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.staff.name == "New Name"
        assert record.delivery_mode == "face_to_face"
        delete = reverse("training:record_delete", args=[record.pk])
        assert "Delete this training record?" in client.get(delete).content.decode()
        assert TrainingRecord.objects.exists()  # a GET never deletes
        client.post(delete)
        assert not TrainingRecord.objects.exists()

    def test_borough_lead_reads_but_cannot_change(self, client, world, borough):
        record = staff_with(CurrentRecordFactory, world.school_a)
        client.force_login(borough)
        page = client.get(reverse("training:record_detail", args=[record.pk]))
        assert page.status_code == 200
        assert "Change this record" not in page.content.decode()
        for name in ("record_edit", "record_delete"):
            assert client.get(reverse(f"training:{name}", args=[record.pk])).status_code == 403
        assert client.get(reverse("training:record_create")).status_code == 403
        assert client.get(reverse("training:import_upload")).status_code == 403


class TestImportPages:
    def test_upload_preview_confirm(self, client, world, lead):
        client.force_login(lead)
        upload = csv_upload(
            [
                ["Ffion Jenkins", "ffion@example.org", "awareness", "15/03/2025"],
                ["Bad Course", "bad@example.org", "knitting", "15/03/2025"],
            ]
        )
        response = client.post(reverse("training:import_upload"), {"file": upload})
        batch = ImportBatch.objects.get()
        assert response.url == reverse("training:import_detail", args=[batch.pk])
        preview = client.get(response.url).content.decode()
        assert "Check your import" in preview
        assert "Unknown course ‘knitting’" in preview
        assert "Import 1 record" in preview
        assert not TrainingRecord.objects.exists()
        rejected = client.get(response.url, {"show": "reject"})
        assert [r.number for r in rejected.context["page"]] == [3]
        done = client.post(reverse("training:import_confirm", args=[batch.pk]), follow=True)
        assert "Training records imported" in done.content.decode()
        assert TrainingRecord.objects.count() == 1

    def test_whole_file_problems_show_on_the_form(self, client, lead):
        client.force_login(lead)
        bad = SimpleUploadedFile("x.csv", "Name;Date\nSiân;1/1/2025\n".encode("cp1252"))
        response = client.post(reverse("training:import_upload"), {"file": bad})
        assert response.status_code == 200
        assert "not saved as UTF-8" in response.content.decode()
        assert not ImportBatch.objects.exists()

    def test_an_oversized_upload_is_refused_with_its_size(self, client, lead):
        client.force_login(lead)
        big = SimpleUploadedFile("big.csv", b"Name,Email\n" + b"x" * (6 * 1024 * 1024))
        response = client.post(reverse("training:import_upload"), {"file": big})
        assert "The file is 6 MB. The largest file you can import is 5 MB" in (
            response.content.decode()
        )
        assert not ImportBatch.objects.exists()

    def test_xlsx_upload(self, client, lead):
        client.force_login(lead)
        upload = xlsx_upload([["Ffion", "ffion@example.org", "awareness", date(2025, 3, 15)]])
        response = client.post(reverse("training:import_upload"), {"file": upload}, follow=True)
        assert "Import 1 record" in response.content.decode()

    def test_large_files_show_progress_while_a_job_runs(
        self, client, lead, settings, django_capture_on_commit_callbacks
    ):
        settings.TRAINING_IMPORT_INLINE_ROWS = 5
        client.force_login(lead)
        rows = [[f"P{i}", f"p{i}@example.org", "awareness", "1/3/2025"] for i in range(6)]
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(reverse("training:import_upload"), {"file": csv_upload(rows)})
        page = client.get(response.url).content.decode()
        assert "Checking your file" in page
        assert 'http-equiv="refresh"' in page
        assert "job-progress" in page

    def test_someone_elses_import_is_hidden(self, client, world, lead):
        client.force_login(lead)
        client.post(
            reverse("training:import_upload"),
            {"file": csv_upload([["F", "f@example.org", "awareness", "1/3/2025"]])},
        )
        batch = ImportBatch.objects.get()
        colleague = world.user(Role.AGENCY_LEAD, agency=world.school_a)
        client.force_login(colleague)
        assert client.get(reverse("training:import_detail", args=[batch.pk])).status_code == 404
        response = client.post(reverse("training:import_confirm", args=[batch.pk]))
        assert response.status_code == 404

    def test_template_download(self, client, lead):
        client.force_login(lead)
        response = client.get(reverse("training:import_template"))
        header = response.content.decode("utf-8-sig").splitlines()[0]
        assert header.startswith("Name,Email,Agency")


class TestExports:
    def test_records_csv_is_scoped_inert_and_audited(self, client, world, borough):
        staff_with(CurrentRecordFactory, world.school_a, name='=HYPERLINK("http://evil")')
        staff_with(CurrentRecordFactory, world.school_a, name="+44 Plain", department="@team")
        staff_with(CurrentRecordFactory, world.school_b, name="Other Borough")
        client.force_login(borough)
        response = client.get(reverse("training:records_export", args=["csv"]))
        assert response["Content-Disposition"].startswith("attachment")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        names = sorted(row[0] for row in rows[1:])
        assert names == ["'+44 Plain", '\'=HYPERLINK("http://evil")']
        assert "'@team" in text
        assert audit_actions(action="training.export") == ["training.export"]

    def test_records_xlsx_cells_are_text(self, client, world, lead):
        staff_with(CurrentRecordFactory, world.school_a, name="=1+1")
        client.force_login(lead)
        response = client.get(reverse("training:records_export", args=["xlsx"]))
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        sheet = workbook.active
        assert sheet["A2"].value == "'=1+1"
        assert sheet["A2"].data_type == "s"
        assert sheet["L2"].is_date

    def test_coverage_exports(self, client, world, borough):
        staff_with(ExpiredRecordFactory, world.school_a)
        client.force_login(borough)
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("training:coverage_export", args=[fmt]))
            assert response.status_code == 200
        text = b"".join(
            client.get(reverse("training:coverage_export", args=["csv"])).streaming_content
        ).decode("utf-8-sig")
        assert "Northbridge Academy,1,0,0.0" in text
        assert len(audit_actions(action="training.export")) == 3

    def test_export_filters_match_the_list(self, client, world, lead):
        staff_with(ExpiredRecordFactory, world.school_a)
        staff_with(CurrentRecordFactory, world.school_a)
        client.force_login(lead)
        client.post(reverse("training:record_list"), {"status": "expired"})
        response = client.get(reverse("training:records_export", args=["csv"]))
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert len(text.strip().splitlines()) == 2
        assert text.strip().splitlines()[1].endswith("Expired")

    def test_unknown_format_is_404(self, client, lead):
        client.force_login(lead)
        assert client.get("/training/records.pdf").status_code == 404


def test_course_list(client, world, lead):
    client.force_login(lead)
    html = client.get(reverse("training:course_list")).content.decode()
    assert "Prevent referrals" in html
    assert "Normally taken after Prevent awareness" in html
    assert "24 months" in html
    assert "12 months" in html


def _course(code):
    return Course.objects.get(code=code)
