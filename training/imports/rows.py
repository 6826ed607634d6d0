"""Decide, row by row, what an import would do: create, update, leave alone, or reject.

``check_sheet`` reads the database (courses, agencies, existing staff and records) in a fixed
number of queries, whatever the number of rows, and writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Agency
from prevent_cms.imported_dates import ImportedDateError, imported_date

from ..dates import today
from ..models import Course, DeliveryMode, ImportRow, StaffMember, StaffRole, TrainingRecord
from ..services import check_completed_on, prerequisite_message
from .reader import COLUMNS, Cell, Sheet, person_name

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}

ROLE_NAMES = {
    "dsl": StaffRole.SAFEGUARDING_LEAD,
    "designated safeguarding lead": StaffRole.SAFEGUARDING_LEAD,
    "safeguarding lead": StaffRole.SAFEGUARDING_LEAD,
    "prevent lead": StaffRole.SAFEGUARDING_LEAD,
    "manager": StaffRole.SENIOR_LEADER,
    "senior leader": StaffRole.SENIOR_LEADER,
    "practitioner": StaffRole.PRACTITIONER,
    "support": StaffRole.SUPPORT,
    "admin": StaffRole.SUPPORT,
    "volunteer": StaffRole.VOLUNTEER,
}
MODE_NAMES = {
    "online": DeliveryMode.ONLINE,
    "e learning": DeliveryMode.ONLINE,
    "elearning": DeliveryMode.ONLINE,
    "face to face": DeliveryMode.FACE_TO_FACE,
    "in person": DeliveryMode.FACE_TO_FACE,
    "classroom": DeliveryMode.FACE_TO_FACE,
    "virtual": DeliveryMode.LIVE_ONLINE,
    "live online": DeliveryMode.LIVE_ONLINE,
    "webinar": DeliveryMode.LIVE_ONLINE,
}


def _key(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def _choice_lookup(choices, extra: dict[str, str]) -> dict[str, str]:
    lookup = {_key(code): code for code, _label in choices}
    lookup.update({_key(label): code for code, label in choices})
    lookup.update({_key(name): code for name, code in extra.items()})
    return lookup


@dataclass
class RowResult:
    number: int
    action: str = ImportRow.Action.CREATE
    person_name: str = ""
    email: str = ""
    agency_name: str = ""
    course_name: str = ""
    completed_on: str = ""
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def as_row(self, batch) -> ImportRow:
        return ImportRow(
            batch=batch,
            number=self.number,
            action=self.action,
            person_name=self.person_name[:200],
            email=self.email[:254],
            agency_name=self.agency_name[:200],
            course_name=self.course_name[:200],
            completed_on=self.completed_on[:40],
            problems=self.problems,
            warnings=self.warnings,
            data=self.data,
        )

    def same_outcome(self, row: ImportRow) -> bool:
        return self.action == row.action and self.data == row.data


class RowChecker:
    """Everything needed to judge rows for one agency, loaded up front."""

    def __init__(self, *, agency: Agency, on: date | None = None) -> None:
        self.agency = agency
        self.on = on or today()
        courses = list(Course.objects.filter(is_active=True).select_related("requires"))
        self.courses: dict[str, Course] = {}
        for course in courses:
            for name in course.names():
                self.courses.setdefault(_key(name), course)
        self.course_by_id = {str(c.pk): c for c in courses}
        self.course_codes = ", ".join(c.code for c in courses)
        self.agencies = {
            _key(a.name): a for a in Agency.objects.filter(local_authority=agency.local_authority)
        }
        self.staff = {s.email: s for s in StaffMember.objects.filter(agency=agency)}
        self.records: dict[tuple, TrainingRecord] = {}
        self.completions: dict[tuple, date] = {}
        for record in TrainingRecord.objects.filter(staff__agency=agency).only(
            "id", "staff_id", "course_id", "completed_on", "delivery_mode"
        ):
            self.records[(record.staff_id, record.course_id, record.completed_on)] = record
            self._note_completion(str(record.staff_id), record.course_id, record.completed_on)
        self.roles = _choice_lookup(StaffRole.choices, ROLE_NAMES)
        self.modes = _choice_lookup(DeliveryMode.choices, MODE_NAMES)
        self.labels = {name: str(spec[0]) for name, spec in COLUMNS.items()}
        self.seen: dict[tuple, int] = {}
        self.names_by_email: dict[str, tuple[str, int]] = {}

    def _note_completion(self, person: str, course_id, completed_on: date) -> None:
        key = (person, course_id)
        if key not in self.completions or completed_on < self.completions[key]:
            self.completions[key] = completed_on

    # Cell readers: each returns the clean value or adds a problem to the result.

    def _text(self, result: RowResult, value: Cell, label: str, max_length: int) -> str:
        if value is None:
            return ""
        text = str(value).strip()
        if text == "-":
            return ""
        if text.startswith(FORMULA_STARTS):
            result.problems.append(
                _(
                    "%(column)s starts with ‘%(char)s’, which spreadsheets treat as a formula. "
                    "Type the value itself."
                )
                % {"column": label, "char": text[0]}
            )
            return ""
        if CONTROL.search(text):
            result.problems.append(
                _("%(column)s contains characters that are not text.") % {"column": label}
            )
            return ""
        if len(text) > max_length:
            result.problems.append(
                _("%(column)s is longer than %(max)s characters.")
                % {"column": label, "max": max_length}
            )
            return ""
        return text

    def _date(self, result: RowResult, value: Cell) -> date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            result.problems.append(_("Enter the completion date."))
            return None
        if isinstance(value, str) and value.strip().startswith(FORMULA_STARTS):
            result.completed_on = value.strip()
            self._text(result, value.strip(), str(COLUMNS["completed_on"][0]), 40)
            return None
        try:
            parsed = imported_date(value)
        except ImportedDateError as error:
            result.completed_on = str(value).strip()
            result.problems.append(str(error))
            return None
        # What was typed, or the date read from a date cell or an Excel day number.
        result.completed_on = (
            value.strip() if isinstance(value, str) else date_format(parsed, "j M Y")
        )
        try:
            check_completed_on(completed_on=parsed, on=self.on)
        except ValidationError as error:
            result.problems.extend(error.messages)
            return None
        return parsed

    def _flag(self, result: RowResult, value: Cell, label: str) -> bool | None:
        if value is None:
            return None
        text = _key(value)
        if text in YES:
            return True
        if text in NO:
            return None if text == "" else False
        result.problems.append(
            _("%(column)s must be yes or no, not ‘%(value)s’.")
            % {"column": label, "value": str(value)[:40]}
        )
        return None

    def check(self, sheet: Sheet, number: int, cells: list[Cell]) -> RowResult:
        result = RowResult(number=number)
        labels = self.labels
        name = self._text(result, person_name(sheet, cells), labels["name"], 200)
        result.person_name = name
        if not name and not result.problems:
            result.problems.append(_("Enter the person’s name."))
        email = self._text(result, sheet.value(cells, "email"), labels["email"], 254).lower()
        result.email = email
        if not email:
            result.problems.append(_("Enter the person’s email address."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                result.problems.append(
                    _("‘%(value)s’ is not an email address.") % {"value": email[:60]}
                )
                email = ""
        course_text = self._text(result, sheet.value(cells, "course"), labels["course"], 200)
        result.course_name = course_text
        course = self.courses.get(_key(course_text)) if course_text else None
        if not course_text:
            result.problems.append(_("Enter the course."))
        elif course is None:
            result.problems.append(
                _("Unknown course ‘%(value)s’. Use a course code such as %(codes)s.")
                % {"value": course_text[:60], "codes": self.course_codes}
            )
        else:
            result.course_name = course.title
        completed_on = self._date(result, sheet.value(cells, "completed_on"))
        agency_text = self._text(result, sheet.value(cells, "agency"), labels["agency"], 200)
        agency = self.agency
        if agency_text:
            found = self.agencies.get(_key(agency_text))
            if found is None:
                result.problems.append(
                    _("Unknown agency ‘%(value)s’.") % {"value": agency_text[:60]}
                )
            elif found.pk != self.agency.pk:
                result.problems.append(
                    _("This row is for %(other)s. You can only import training for %(mine)s.")
                    % {"other": found.name, "mine": self.agency.name}
                )
        result.agency_name = agency.name
        department = self._text(result, sheet.value(cells, "department"), labels["department"], 120)
        role = self._choice(result, sheet.value(cells, "role"), self.roles, labels["role"])
        mode = self._choice(
            result, sheet.value(cells, "delivery_mode"), self.modes, labels["delivery_mode"]
        )
        frontline = self._flag(result, sheet.value(cells, "frontline"), labels["frontline"])
        contractor = self._flag(result, sheet.value(cells, "contractor"), labels["contractor"])
        elected = self._flag(result, sheet.value(cells, "elected_member"), labels["elected_member"])
        if result.problems or course is None or completed_on is None:
            result.action = ImportRow.Action.REJECT
            return result
        key = (email, course.pk, completed_on)
        if key in self.seen:
            result.action = ImportRow.Action.REJECT
            result.problems.append(
                _("Same person, course and completion date as row %(row)s.")
                % {"row": self.seen[key]}
            )
            return result
        self.seen[key] = number
        earlier = self.names_by_email.get(email)
        if earlier and earlier[0] != name:
            result.warnings.append(
                _("Row %(row)s gives another name for this email address; this row’s is kept.")
                % {"row": earlier[1]}
            )
        self.names_by_email[email] = (name, number)
        staff = self.staff.get(email)
        person = str(staff.pk) if staff else email
        self._note_completion(person, course.pk, completed_on)
        result.data = {
            "name": name,
            "email": email,
            "agency": str(agency.pk),
            "course": str(course.pk),
            "completed_on": completed_on.isoformat(),
            "department": department,
            "role": role,
            "frontline": frontline,
            "contractor": contractor,
            "elected_member": elected,
            "delivery_mode": mode,
            "staff": str(staff.pk) if staff else None,
            "record": None,
        }
        result.action = self._action(result, staff, course, completed_on)
        return result

    def _choice(self, result: RowResult, value: Cell, lookup: dict, label: str) -> str:
        if value is None or not str(value).strip():
            return ""
        text = self._text(result, value, label, 120)
        if not text:
            return ""
        code = lookup.get(_key(text))
        if code is None:
            result.warnings.append(
                _("%(column)s ‘%(value)s’ is not one we know, so it is recorded as Other.")
                % {"column": label, "value": text[:60]}
            )
            return "other"
        return code

    def _action(self, result: RowResult, staff, course: Course, completed_on: date) -> str:
        data = result.data
        if staff is None:
            return ImportRow.Action.CREATE
        record = self.records.get((staff.pk, course.pk, completed_on))
        person_changes = _person_changes(staff, data)
        if record is None:
            return ImportRow.Action.CREATE
        data["record"] = str(record.pk)
        if person_changes or (
            data["delivery_mode"] and data["delivery_mode"] != record.delivery_mode
        ):
            return ImportRow.Action.UPDATE
        return ImportRow.Action.UNCHANGED

    def prerequisite_warnings(self, results: list[RowResult]) -> None:
        """Second pass, once the whole file is known: earlier rows may hold the first course."""
        for result in results:
            if result.action == ImportRow.Action.REJECT:
                continue
            course = self.course_by_id.get(result.data["course"])
            required = course.requires if course else None
            if required is None or not required.is_active:
                continue
            person = result.data["staff"] or result.data["email"]
            first = self.completions.get((person, required.pk))
            if first is None or first > date.fromisoformat(result.data["completed_on"]):
                result.warnings.append(prerequisite_message(course=course, required=required))


def _person_changes(staff: StaffMember, data: dict) -> list[str]:
    """Fields the row would change on an existing person. Blank cells keep what is there."""
    changes = []
    if data["name"] and data["name"] != staff.name:
        changes.append("name")
    if data["department"] and data["department"] != staff.department:
        changes.append("department")
    if data["role"] and data["role"] != staff.role:
        changes.append("role")
    for flag in ("frontline", "contractor", "elected_member"):
        if data[flag] is not None and data[flag] != getattr(staff, flag):
            changes.append(flag)
    return changes


def check_sheet(
    sheet: Sheet,
    *,
    agency: Agency,
    progress: Callable[[int], None] | None = None,
    on: date | None = None,
) -> list[RowResult]:
    """Judge every row of ``sheet`` for an import into ``agency``."""
    checker = RowChecker(agency=agency, on=on)
    results = []
    total = len(sheet.rows)
    for index, (number, cells) in enumerate(sheet.rows, start=1):
        results.append(checker.check(sheet, number, cells))
        if progress is not None and index % 500 == 0:
            progress(index * 100 // total)
    checker.prerequisite_warnings(results)
    return results
