"""Forms for the compliance records a borough lead keeps."""

from django import forms

from .models import ComplianceEntry, PlanAction


def _govuk_classes(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
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


class DateInput(forms.DateInput):
    input_type = "date"


class PlanActionForm(_GovukMixin, forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["section", "description", "owner", "due_date", "rag"]
        widgets = {"due_date": DateInput()}


class ComplianceEntryForm(_GovukMixin, forms.ModelForm):
    class Meta:
        model = ComplianceEntry
        fields = ["section", "date", "title", "notes"]
        widgets = {"date": DateInput()}
