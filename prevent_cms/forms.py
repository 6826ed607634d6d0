"""Form pieces every app shares."""

from __future__ import annotations

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _


class GovFormHelper(FormHelper):
    """A crispy-forms-gds helper whose ``label_size``/``legend_size`` always become classes.

    The library turns ``Size.SMALL`` into ``govuk-label--s`` only while rendering a layout; a
    form drawn field by field (no layout) received the bare letter, so labels rendered as
    ``class="govuk-label s"`` and lost their size. Converting here covers both ways.
    """

    def get_attributes(self, *args, **kwargs):
        items = super().get_attributes(*args, **kwargs)
        if self.label_size:
            items["label_size"] = Size.for_label(self.label_size)
        if self.legend_size:
            items["legend_size"] = Size.for_legend(self.legend_size)
        return items


class GovDateField(DateInputField):
    """The GOV.UK date input (day, month and year boxes) for every date a person types, with
    messages in the words of the question, as the GOV.UK pattern asks: ``enter`` (nothing
    typed), ``incomplete`` (the date as a whole), ``part`` (one box empty; ``%(part)s`` is
    "day", "month" or "year") and ``invalid`` (not a real date). A date with a box empty
    compresses to None, so the box's own message is the one shown."""

    def __init__(self, *, enter: str, incomplete: str, part: str, invalid: str, **kwargs):
        super().__init__(**kwargs)
        self.error_messages = {
            **self.error_messages,
            "required": enter,
            "incomplete": incomplete,
            "invalid": invalid,
        }
        for sub, name in zip(self.fields, (_("day"), _("month"), _("year")), strict=True):
            sub.error_messages["incomplete"] = part % {"part": name}
            for validator in sub.validators:
                validator.message = invalid

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        day, month, year = data_list
        try:
            return datetime.date(int(year), int(month), int(day))
        except (TypeError, ValueError, OverflowError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


def _named_now(template: str, what, *, lower: bool = False, **values) -> str:
    """``template`` in the reader's language, naming ``what`` (itself translated)."""
    what = str(what)
    if lower:
        what = what[:1].lower() + what[1:]
    return gettext(template) % {"what": what, **values}


_named = lazy(_named_now, str)


class NamedDateField(GovDateField):
    """A GOV.UK date input whose messages name the date asked for (``what``, such as "The
    date of the session"): "Enter the date of the session", "The date of the session must
    include a month", "... must be a real date". Each box is checked on its own
    (``require_all_fields=False``), so the message names the box left empty."""

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        kwargs.setdefault("help_text", _("For example, 27 3 2026"))
        self.what = what
        # Worded when shown, not when the form class is made: in the reader's language.
        super().__init__(
            enter=_named(gettext_noop("Enter %(what)s"), what, lower=True),
            incomplete=_named(gettext_noop("%(what)s must include a day, month and year"), what),
            part=_named(gettext_noop("%(what)s must include a %(part)s"), what, part="%(part)s"),
            invalid=_named(gettext_noop("%(what)s must be a real date"), what),
            **kwargs,
        )
