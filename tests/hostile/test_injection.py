"""Injection attacks tried explicitly (issue 7): SQL and template injection strings in every
text field of the referral form (API and HTML pages), HTML and script in names rendered
inert in pages and in the panel-pack PDF, spreadsheet formulas in exports."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from channel.pdf import render_pack
from referrals import exports as case_exports
from referrals.api.serializers import SubjectInputSerializer
from referrals.forms.draft import SECTIONS
from referrals.models import Referral, Subject
from referrals.selectors import referrals_for_export
from reports import exports
from reports.exports import write_csv, write_xlsx
from tests.channel import factories as cf
from tests.referrals import factories as rf
from training.exports import csv_text, xlsx_bytes

pytestmark = pytest.mark.django_db

SQL = "' OR 1=1 --"
TEMPLATE = "{{ settings.SECRET_KEY }}"
DEBUG_TAG = "{% debug %}"
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
PAYLOADS = [SQL, TEMPLATE, DEBUG_TAG, SCRIPT]
FORMULAS = ['=HYPERLINK("http://evil.invalid","x")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def _text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices and f.editable
    ]


# Every free-text subject field the API takes (postcode is validated: a clean 400).
SUBJECT_TEXT = [
    f
    for f in _text_fields(Subject)
    if f.name in SubjectInputSerializer().fields and f.name != "postcode"
]
REFERRAL_TEXT = [
    f
    for f in _text_fields(Referral)
    # referrer_phone is validated as a phone number: the payload gets a clean 400 there.
    if f.name
    in ("concern_summary", "how_concern_arose", "online_activity", "action_taken",
        "referrer_relationship")
]  # fmt: skip


def _fit(payload: str, field) -> str:
    return payload[: field.max_length] if field.max_length else payload


def _assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "onerror=alert" not in html or "&lt;img" in html
    assert settings.SECRET_KEY not in html
    assert "sql_queries" not in html  # what {% debug %} would print


@pytest.mark.parametrize("payload", PAYLOADS)
def test_api_stores_every_text_field_literally_and_pages_render_it_inert(world, payload, client):
    referrer = rf.referrer_for(world)
    officer = rf.officer_for(world)
    body = rf.complete_form()
    body["subject"]["date_of_birth"] = body["subject"]["date_of_birth"].isoformat()
    for field in SUBJECT_TEXT:
        body["subject"][field.name] = _fit(payload, field)
    for field in REFERRAL_TEXT:
        body[field.name] = _fit(payload, field)
    api = APIClient()
    api.force_authenticate(referrer)
    created = api.post("/api/v1/referrals/", body, format="json")
    assert created.status_code == 201, created.content
    referral = Referral.objects.select_related("subject").get(pk=created.json()["id"])
    for field in SUBJECT_TEXT:
        assert getattr(referral.subject, field.name) == _fit(payload, field)
    for field in REFERRAL_TEXT:
        assert getattr(referral, field.name) == _fit(payload, field)
    assert Referral.objects.count() == 1

    client.force_login(referrer)
    check = client.get(reverse("referrals:check", args=[referral.pk]))
    assert check.status_code == 200
    _assert_inert(check.content.decode())
    submitted = api.post(f"/api/v1/referrals/{referral.pk}/transitions/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.content

    client.force_login(officer)
    searched = client.post(reverse("referrals:queue"), {"q": SQL}, follow=True)
    for page in (
        client.get(reverse("referrals:detail", args=[referral.pk])),
        searched,
        client.get(reverse("referrals:queue")),
    ):
        assert page.status_code == 200
        _assert_inert(page.content.decode())
    if payload != SQL:
        assert referral.reference not in searched.content.decode()


class _FormReader(HTMLParser):
    """What a browser would send back from a page's form, unchanged."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self.text: list[str] = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            elif kind != "submit":
                self.data[name] = a.get("value") or ""
                if kind in ("text", "search", "tel", "email") and not name.startswith(
                    ("date_of_birth", "csrf")
                ):
                    self.text.append(name)
        if tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
            self.text.append(name)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


@pytest.mark.parametrize("payload", [f"{SQL} {TEMPLATE} {DEBUG_TAG} {SCRIPT}"])
def test_every_text_field_of_the_html_form_takes_the_payload_without_harm(world, payload, client):
    referrer = rf.referrer_for(world)
    referral = rf.draft(world, referrer=referrer)
    client.force_login(referrer)
    filled = 0
    for form in SECTIONS:
        url = reverse("referrals:section", args=[referral.pk, form.slug])
        page = client.get(url)
        assert page.status_code == 200
        reader = _FormReader()
        reader.feed(page.content.decode())
        data = dict(reader.data)
        for name in reader.text:
            data[name] = payload
            filled += 1
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400), (form.slug, response.status_code)
        _assert_inert(response.content.decode())
    assert filled >= 15
    check = client.get(reverse("referrals:check", args=[referral.pk]))
    html = check.content.decode()
    _assert_inert(html)
    assert "&lt;script&gt;" in html
    assert "{{ settings.SECRET_KEY }}" in html
    assert "{% debug %}" in html


def test_script_in_names_is_plain_text_in_the_panel_pack_pdf(world):
    team = cf.channel_team(world)
    referral = cf.channel_panel(
        world, team, subject={"first_name": "<b>Bold</b>", "last_name": SCRIPT[:100]}
    )
    panel = cf.held_panel(world, team, referral)
    pdf, _pages = render_pack(panel, team.chair)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "<b>Bold</b>" in text
    assert "<script>" in text


def test_formulas_are_inert_in_the_report_exports(monkeypatch):
    report = {"rows": [[f, f] for f in FORMULAS]}
    monkeypatch.setattr(exports, "report_rows", lambda r: r["rows"])
    rows = list(csv.reader(io.StringIO(write_csv(report).decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(write_xlsx(report))).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    for value in [cell for row in rows for cell in row] + cells:
        assert value.startswith("'"), value


def test_formulas_are_inert_in_the_training_exports():
    rows = [[f, 1] for f in FORMULAS]
    text = csv_text(["Name", "N"], rows)
    cells = [row[0] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))][1:]
    sheet = load_workbook(io.BytesIO(xlsx_bytes("Records", ["Name", "N"], rows))).active
    cells += [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == 2 * len(FORMULAS)
    for value in cells:
        assert not str(value).startswith(("=", "+", "-", "@")), value


def test_formulas_are_inert_in_the_case_list_export(world):
    """Every text column of the officer's case list, on whichever database runs the suite
    (COPY with SQL neutralisation on PostgreSQL, csv.writer on SQLite)."""
    officer = rf.officer_for(world)
    world.la_a.name = FORMULAS[0]
    world.la_a.save()
    world.school_a.sector = FORMULAS[1]  # bypassing choices, as imported data might
    world.school_a.save()
    for k, formula in enumerate(FORMULAS):
        referral = rf.direct(rf.SubmittedFactory, world)
        Referral.objects.filter(pk=referral.pk).update(
            reference=formula[:18] + str(k), concern_types=[formula]
        )
        Subject.objects.filter(pk=referral.subject_id).update(gender=formula[:12])
    out = io.BytesIO()
    case_exports.write_csv(referrals_for_export(officer), out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))[1:]
    assert len(rows) == len(FORMULAS)
    text_columns = [
        k
        for k, name in enumerate(case_exports.export_columns(formula_safe_in_sql=False))
        if name in case_exports.TEXT_COLUMNS
    ]
    for row in rows:
        for k in text_columns:
            assert row[k].startswith("'") or row[k] == "", (k, row[k])
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
