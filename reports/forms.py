"""Forms for the compliance records a borough lead keeps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prevent_cms.forms import NamedDateField

from .models import ComplianceEntry, PlanAction


def _govuk_classes(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            continue  # the GOV.UK date input: its boxes carry their own classes
        if isinstance(widget, forms.Select):
            widget.attrs["class"] = "govuk-select"
        elif isinstance(widget, forms.Textarea):
            widget.attrs["class"] = "govuk-textarea"
        else:
            widget.attrs["class"] = "govuk-input"


class _GovukMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_classes(self)


class PlanActionForm(_GovukMixin, forms.ModelForm):
    due_date = NamedDateField(label=_("Due date"), what=_("The due date"))

    class Meta:
        model = PlanAction
        fields = ["section", "description", "owner", "due_date", "rag"]


class ComplianceEntryForm(_GovukMixin, forms.ModelForm):
    date = NamedDateField(label=_("Date"), what=_("The date"))

    class Meta:
        model = ComplianceEntry
        fields = ["section", "date", "title", "notes"]


class StatisticsPeriodForm(forms.Form):
    """The statistics page's period: two GOV.UK date inputs in a GET form, so the page's
    address (``?from_0=1&from_1=4&from_2=2025&to_0=31&to_1=3&to_2=2026``) can be bookmarked.

    The form checks only that each date is a real date; what may be reported on (order,
    span, at least a month for suppressed readers) stays ``statistics_period_get``'s rule,
    the one the API and every download use.
    """

    NAMES = ("from", "to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = NamedDateField(
            label=_("From"), what=_("The start date"), help_text="", required=False
        )
        self.fields["to"] = NamedDateField(
            label=_("To"), what=_("The end date"), help_text="", required=False
        )

    @classmethod
    def asked_in(cls, query) -> bool:
        """True when ``query`` holds any of the form's day, month or year boxes."""
        return any(f"{name}_{part}" in query for name in cls.NAMES for part in range(3))

    def iso_dates(self) -> tuple[str, str]:
        """The two dates as ISO text for ``statistics_period_get`` ("" for an empty one)."""
        return tuple(  # type: ignore[return-value]
            day.isoformat() if (day := self.cleaned_data.get(name)) else "" for name in self.NAMES
        )
