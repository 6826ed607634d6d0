"""Writers for the compliance report: CSV, XLSX (streaming rows) and PDF (WeasyPrint)."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import Role
from prevent_cms.pdf import render_pdf
from prevent_cms.registry import JobPage
from prevent_cms.spreadsheet import formula_safe

from .compliance import report_rows
from .presentation import area_label, review_rows, statistics_tables, timeliness_rows
from .suppression import SUPPRESSED_MARK

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def inert(value) -> str | int | float:
    """Numbers stay numbers (a spreadsheet can sum them); text never starts a formula."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return formula_safe("" if value is None else str(value))


def rows_to_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([inert(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def rows_to_xlsx(rows, sheet_name: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for row in rows:
        sheet.append([inert(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(report: dict) -> bytes:
    return rows_to_csv(report_rows(report))


def write_xlsx(report: dict) -> bytes:
    return rows_to_xlsx(report_rows(report), _("Compliance"))


def statistics_rows(stats: dict):
    """The statistics (exact or suppressed) as rows: table, category, code, count."""
    period = stats["period"]
    yield [_("Prevent statistics"), str(area_label(stats)), period["from"], period["to"]]
    if stats.get("suppressed"):
        yield [
            _("Counts from 1 to 4, and counts that would reveal them, are shown as %(mark)s.")
            % {"mark": SUPPRESSED_MARK}
        ]
    else:
        yield [_("Exact counts, for use inside the organisation only.")]
    total = stats["total_referrals"]
    yield [_("Total referrals"), "", "total", SUPPRESSED_MARK if total is None else total]
    if "total_consultations" in stats:
        consultations = stats["total_consultations"]
        shown = SUPPRESSED_MARK if consultations is None else consultations
        yield [_("Total consultations"), "", "total", shown]
    yield []
    yield [_("Table"), _("Category"), _("Code"), _("Count")]
    for table in statistics_tables(stats):
        for row in table["rows"]:
            value = row["value"]
            yield [
                table["title"],
                row["label"],
                row["code"],
                row["shown"] if value is None else value,
            ]
    if "timeliness" in stats:
        yield []
        yield [
            _("Timeliness"),
            _("Referrals"),
            _("Median"),
            _("Threshold"),
            _("Within threshold"),
            _("Share within"),
        ]
        for row in timeliness_rows(stats["timeliness"]):
            yield [
                row["label"],
                row["count"],
                row["median"],
                row["threshold"],
                row["within"],
                row["share"],
            ]
        yield []
        yield [_("Reviews"), _("Count")]
        for row in review_rows(stats["timeliness"]):
            yield [row["label"], row["shown"]]


STATISTICS_WRITERS = {
    "csv": lambda stats: rows_to_csv(statistics_rows(stats)),
    "xlsx": lambda stats: rows_to_xlsx(statistics_rows(stats), _("Statistics")),
}


def statistics_filename(stats: dict, fmt: str) -> str:
    period = stats["period"]
    start, end = period["from"].replace("-", ""), period["to"].replace("-", "")
    return f"statistics-{start}-{end}.{fmt}"


def write_pdf(report: dict) -> bytes:
    return render_pdf("reports/compliance_pdf.html", {"report": report}).content


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}


def compliance_export_readable_by(user, job) -> bool:
    """A compliance report is read, now, by a borough lead of the authority it covers: one
    who has lost the role or moved authority no longer gets the file they made."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_role(Role.BOROUGH_LEAD)
        and user.agency_id
        and str(user.local_authority_id) == job.params.get("local_authority")
    )


def compliance_export_job_page(job) -> JobPage:
    """A compliance report's job page: the authority's eight sections for the period."""
    return JobPage(
        title=_("Compliance report"),
        contains=_(
            "The eight sections of the Prevent duty toolkit for your local authority and the "
            "period you chose: figures from the records, with your commentary beside them."
        ),
        back_url=reverse("reports:compliance"),
        back_label=_("Back to compliance"),
    )
