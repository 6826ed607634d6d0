"""Compliance exports: 202 with the job, files written, suppressed, inert cells, audited."""

import io
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.models import Role
from prevent_cms.models import AuditEvent, Job
from reports.exports import inert
from reports.models import PlanAction

from .conftest import FY_2024

URL = "/api/v1/reports/exports/"


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def start(user, fmt):
    return api(user).post(URL, {"format": fmt, "from": FY_2024[0], "to": FY_2024[1]}, format="json")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_export_runs_as_a_job(stats_world, lead, fmt, django_capture_on_commit_callbacks):
    PlanAction.objects.create(
        local_authority=stats_world.world.la_a,
        description='=HYPERLINK("http://evil")',
        owner="Lead",
        due_date="2025-06-30",
        created_by=lead,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = start(lead, fmt)
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"]
    job = Job.objects.get(pk=body["id"])
    assert job.state == Job.State.DONE
    content = job.result.read()
    if fmt == "csv":
        text = content.decode("utf-8-sig")
    elif fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        text = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    else:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Reducing permissive environments" in text
    assert "[c]" in text  # suppressed: the report leaves the organisation
    if fmt != "pdf":
        assert "'=HYPERLINK" in text
    for referral in stats_world.referrals.values():
        assert referral.reference not in text
        assert str(referral.pk) not in text
    assert AuditEvent.objects.filter(action="reports.export.done", actor=lead).exists()
    assert AuditEvent.objects.filter(action="job.reports.compliance_export.requested").exists()


def test_unknown_format_is_400(lead):
    response = start(lead, "docx")
    assert response.status_code == 400
    assert "csv, xlsx or pdf" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [["csv"], {"format": "csv", "from": 2024, "to": ["2025-01-01"]}, {"format": ["csv"]}],
)
def test_a_body_of_the_wrong_shape_is_400_naming_the_field(lead, body):
    """Not a 500: the body is checked against the schema's ExportRequest (issue 23)."""
    response = api(lead).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_bad_period_is_400(lead):
    response = api(lead).post(URL, {"format": "csv", "from": "2025-01-01", "to": "2024-01-01"})
    assert response.status_code == 400


def test_others_cannot_export(world):
    assert start(world.user(Role.REFERRER), "csv").status_code == 403


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_formula_cells_are_made_inert(value):
    assert inert(value) == f"'{value}"


def test_a_welsh_speaking_lead_gets_the_pdf_in_welsh(
    stats_world, lead, tmp_path, django_capture_on_commit_callbacks
):
    """Issue 19: the job keeps the asker's language and the worker writes the file in it;
    read back with pdftotext as their PDF reader would show it."""
    lead.language = "cy"
    lead.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = start(lead, "pdf")
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.state, job.language) == (Job.State.DONE, "cy")
    path = tmp_path / "report.pdf"
    path.write_bytes(job.result.read())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = " ".join(text.split())  # a long heading wraps onto two lines
    for words in ("Adroddiad cydymffurfio â dyletswydd Prevent", "Cynnwys", "Tudalen 1"):
        assert words in text, words
    assert "Prevent duty compliance report" not in text
    assert "Contents" not in text


def test_a_welsh_speaking_lead_gets_welsh_words_in_the_csv(
    stats_world, lead, django_capture_on_commit_callbacks
):
    lead.language = "cy"
    lead.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = start(lead, "csv")
    text = Job.objects.get(pk=response.json()["id"]).result.read().decode("utf-8-sig")
    assert text.startswith("Adroddiad cydymffurfio â dyletswydd Prevent,")
    assert "Prevent duty compliance report" not in text


def test_the_pdf_writes_plan_dates_in_words_and_the_csv_in_iso(
    stats_world, lead, tmp_path, django_capture_on_commit_callbacks
):
    """Issue 19: people read "30 June 2025" and a RAG label; a spreadsheet gets 2025-06-30."""
    PlanAction.objects.create(
        local_authority=stats_world.world.la_a,
        description="Refresh the referral pathway",
        owner="Lead",
        due_date="2025-06-30",
        rag="red",
        created_by=lead,
    )
    texts = {}
    for fmt in ("pdf", "csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = start(lead, fmt)
        content = Job.objects.get(pk=response.json()["id"]).result.read()
        if fmt == "pdf":
            path = tmp_path / "report.pdf"
            path.write_bytes(content)
            content = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, check=True
            ).stdout
        texts[fmt] = " ".join(content.decode("utf-8-sig").split())
    assert "30 June 2025" in texts["pdf"]
    assert "2025-06-30" not in texts["pdf"]
    assert " red " not in f" {texts['pdf']} "
    assert "2025-06-30" in texts["csv"]
