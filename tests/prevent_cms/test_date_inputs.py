"""One way to ask for a date: the GOV.UK date input (day, month and year boxes, a
``GovDateField``) on every form of the service. A native ``<input type="date">`` shows
mm/dd/yyyy in some browsers and its own unlabelled errors; a text box for ISO dates rejects
"1/4/2026"."""

import contextlib
import importlib
import pkgutil
import re
from functools import cache

import pytest
from django import forms
from django.apps import apps

from prevent_cms.forms import GovDateField
from tests.prevent_cms.source_tree import ROOT

NATIVE_DATE_TYPES = {"date", "datetime-local", "month", "week"}


def _project_packages() -> list[str]:
    return [
        config.name
        for config in apps.get_app_configs()
        if str(config.path).startswith(str(ROOT)) and "/.venv/" not in str(config.path)
    ]


@cache
def form_classes() -> tuple[type[forms.BaseForm], ...]:
    """Every Form and ModelForm of the service's pages defined in the project's own modules
    (each module of each of its apps is imported, so forms kept beside their views count
    too)."""
    packages = _project_packages()
    for package in packages:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            module = subclass.__module__
            # The Django admin (``admin`` modules) keeps its own widgets, outside the service.
            if module.split(".")[0] in packages and not module.endswith(".admin"):
                found.add(subclass)
    return tuple(sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}"))


def _fields(form_class) -> dict[str, forms.Field]:
    """The declared fields and, when the form can be built without arguments, those its
    ``__init__`` adds."""
    fields = dict(form_class.base_fields)
    with contextlib.suppress(Exception):  # a form needing its own arguments: declared only
        fields |= form_class().fields
    return fields


def _date_problems(form_class) -> list[str]:
    problems = []
    for name, field in _fields(form_class).items():
        widgets = getattr(field.widget, "widgets", [field.widget])
        if any(getattr(widget, "input_type", "") in NATIVE_DATE_TYPES for widget in widgets):
            problems.append(f"{name}: a native date input")
        if isinstance(field, forms.DateField | forms.DateTimeField) or (
            isinstance(field, forms.MultiValueField)
            and isinstance(field.widget, forms.MultiWidget)
            and any(isinstance(sub, forms.DateField) for sub in field.fields)
        ):
            problems.append(f"{name}: a date typed as text, not the GOV.UK date input")
    return problems


def test_the_walk_finds_the_forms_with_dates():
    """The walk reaches forms in ``forms`` modules, form packages and views alike."""
    names = {cls.__name__ for cls in form_classes()}
    assert {"SessionForm", "PlanActionForm", "SubjectAccessForm", "PanelMoveForm"} <= names
    assert len(names) > 40


def test_no_form_asks_for_a_date_other_than_with_the_gov_uk_date_input():
    problems = {
        f"{cls.__module__}.{cls.__qualname__}": found
        for cls in form_classes()
        if (found := _date_problems(cls))
    }
    assert problems == {}


def test_no_template_draws_a_native_date_input():
    pattern = re.compile(r"""type=["']?(date|datetime-local|month|week)\b""")
    drawn = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if pattern.search(path.read_text())
    ]
    assert drawn == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, None),
        ({"date_0": "1", "date_1": "4", "date_2": "2026"}, None),
        (
            {"date_0": "1", "date_1": "", "date_2": "2026"},
            "The date of the session must include a month",
        ),
        (
            {"date_0": "31", "date_1": "2", "date_2": "2026"},
            "The date of the session must be a real date",
        ),
        (
            {"date_0": "first", "date_1": "4", "date_2": "2026"},
            "The date of the session must be a real date",
        ),
    ],
)
def test_a_session_date_is_asked_day_month_year_with_gov_uk_messages(data, message):
    from channel.forms import SessionForm

    form = SessionForm(data)
    assert isinstance(form.fields["date"], GovDateField)
    if message is None:
        assert form.is_valid(), form.errors
    else:
        assert not form.is_valid()
        assert form.errors["date"] == [message]
