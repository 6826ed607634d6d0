"""Writers for the compliance report: CSV, XLSX (streaming rows) and PDF (WeasyPrint)."""

from __future__ import annotations

import csv
import io
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from openpyxl import Workbook
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .compliance import report_rows

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def inert(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def write_csv(report: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in report_rows(report):
        writer.writerow([inert(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(report: dict) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Compliance")
    for row in report_rows(report):
        sheet.append([inert(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BASE_URL = "https://report.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``<BASE_URL><STATIC_URL>…`` from the app's static files; refuses the rest."""

    def fetch(self, url, headers=None):
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if url.startswith(prefix) and ".." not in url:
            path = finders.find(url[len(prefix) :].split("?")[0])
            if path:
                body = Path(path).read_bytes()
                kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": kind})
        raise ValueError("Only the application's own static files may be fetched")


def write_pdf(report: dict) -> bytes:
    html = render_to_string("reports/compliance_pdf.html", {"report": report})
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}
