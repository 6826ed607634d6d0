"""The fields and the base form every referral form is built from: GOV.UK widgets, no hidden
nulls, yes/no answers and dates typed as day, month and year.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from prevent_cms.forms import GovDateField, GovFormHelper

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


NUL_MESSAGE = _("Remove the unusual characters from this answer (it contains a hidden null).")
CONTROL_MESSAGE = _(
    "Remove the unusual characters from this answer (it contains hidden control characters)."
)
# C0 controls other than tab, line feed and carriage return (NUL has its own message), and DEL:
# never typed, only pasted from elsewhere, and they break the PDFs and exports that print them.
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: str) -> None:
    if CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError(CONTROL_MESSAGE)


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Text(forms.CharField):
    """A text answer: trimmed, NUL bytes refused and lengths explained in plain words."""

    def __init__(self, *, label, max_length, required=False, textarea=False, **kwargs):
        error_messages = {
            "required": kwargs.pop("required_message", None) or _("Enter an answer"),
            "max_length": _("This answer must be %(limit_value)d characters or fewer")
            % {"limit_value": max_length},
        }
        if textarea:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 5})
        super().__init__(
            label=label,
            max_length=max_length,
            required=required,
            error_messages=error_messages,
            **kwargs,
        )
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(ProhibitNullCharactersValidator(message=NUL_MESSAGE))
        self.validators.append(no_control_characters)


class YesNo(forms.ChoiceField):
    def __init__(self, *, label, required_message=None, **kwargs):
        super().__init__(
            label=label,
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={"required": required_message or _("Select yes or no")},
            **kwargs,
        )


class DateOfBirthField(GovDateField):
    def __init__(self, **kwargs):
        enter = _("Enter the person’s date of birth, for example 27 3 2010")
        super().__init__(
            enter=enter,
            incomplete=enter,
            part=_("The date of birth must include a %(part)s"),
            invalid=_("The date of birth must be a real date, for example 27 3 2010"),
            **kwargs,
        )


class GovForm(forms.Form):
    """A form drawn by crispy-forms-gds inside the page's own <form> (and CSRF token)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = GovFormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = "s"
        self.helper.legend_size = "s"
