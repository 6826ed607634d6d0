"""Helpers to build spreadsheets for import tests."""

import io
from datetime import date

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

HEADERS = ["Name", "Email", "Course", "Completed on"]


def csv_bytes(rows, headers=HEADERS, *, encoding="utf-8", delimiter=",") -> bytes:
    lines = [delimiter.join(headers)]
    lines += [delimiter.join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def csv_upload(rows, headers=HEADERS, name="completions.csv", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, headers, **kwargs), "text/csv")


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows, headers=HEADERS, name="completions.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        xlsx_bytes(rows, headers),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")
