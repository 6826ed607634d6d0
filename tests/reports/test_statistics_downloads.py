"""The statistics alone as CSV and XLSX: same figures, suppressed when shared, inert, audited."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Role
from prevent_cms.models import AuditEvent
from referrals.models import ConcernType

from .conftest import FY_2024

PERIOD = {"from": FY_2024[0], "to": FY_2024[1]}


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


@pytest.fixture
def client(lead):
    client = APIClient()
    client.force_authenticate(lead)
    client.force_login(lead)
    return client


def _cells(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_page_csv_has_exact_counts_and_is_audited(stats_world, world):
    """Exact counts, for a Prevent officer (a borough lead only ever sees them suppressed)."""
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    client = APIClient()
    client.force_login(officer)
    response = client.get(
        "/reports/", {**PERIOD, "local_authority": world.la_a.pk, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "statistics-20240401-20250331.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "Referrals by gender,Female,female,2" in text
    event = AuditEvent.objects.get(action="reports.statistics.exported", actor=officer)
    assert event.detail["format"] == "csv"
    assert event.detail["suppressed"] is False


def test_shared_xlsx_from_the_api_is_suppressed(stats_world, client, lead):
    response = client.get(
        "/api/v1/reports/statistics/", {**PERIOD, "suppressed": "1", "format": "xlsx"}
    )
    assert response.status_code == 200
    rows = _cells(response.content)
    female = next(row for row in rows if row[:3] == ["Referrals by gender", "Female", "female"])
    assert female[3] == "[c]"
    total = next(row for row in rows if row[0] == "Total referrals")
    assert total[2:4] == ["total", 13]
    event = AuditEvent.objects.get(action="reports.statistics.exported", actor=lead)
    assert (event.detail["format"], event.detail["suppressed"]) == ("xlsx", True)


def test_labels_cannot_become_formulas(stats_world, client):
    ConcernType.objects.filter(code="islamist").update(label="=HYPERLINK(1)")
    text = client.get("/reports/", {**PERIOD, "format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text


@pytest.mark.parametrize("url", ["/reports/", "/api/v1/reports/statistics/"])
def test_unknown_format_is_refused(stats_world, client, url):
    assert client.get(url, {**PERIOD, "format": "ods"}).status_code in {400, 404}


def test_other_local_authority_is_404(stats_world, client, world):
    response = client.get(
        "/reports/", {**PERIOD, "format": "csv", "local_authority": world.la_b.pk}
    )
    assert response.status_code == 404


def test_a_welsh_speaker_gets_welsh_words_beside_the_same_codes(stats_world, world):
    """Issue 19: labels and headings in the asker's language; the codes analysts filter on
    are the same in every language."""
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    officer.language = "cy"
    officer.save(update_fields=["language"])
    client = APIClient()
    client.force_login(officer)
    text = client.get(
        "/reports/", {**PERIOD, "local_authority": world.la_a.pk, "format": "csv"}
    ).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Ystadegau Prevent,")
    assert "Tabl,Categori,Cod,Nifer" in lines
    assert any(line.endswith(",Benyw,female,2") for line in lines), lines
    assert "Total referrals" not in text
