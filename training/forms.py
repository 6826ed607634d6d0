"""HTML forms. They validate what a person typed; the services decide and write."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from prevent_cms.forms import GovDateField

from .dates import Status
from .models import Course, DeliveryMode, StaffRole, TrainingRecord
from .services import PersonDetails

FLAG_CHOICES = [
    ("frontline", _("Frontline: works directly with the public, children or patients")),
    ("contractor", _("Contractor: not employed by the agency")),
    ("elected_member", _("Elected member (councillor)")),
]


class CompletionDateField(GovDateField):
    """The GOV.UK date input with messages that say which part is missing."""

    def __init__(self, **kwargs):
        super().__init__(
            enter=_("Enter the date the course was completed"),
            incomplete=_("The completion date must include a day, month and year"),
            part=_("The completion date must include a %(part)s"),
            invalid=_("The completion date must be a real date"),
            **kwargs,
        )


class RecordForm(forms.Form):
    """One completion: the person, the course and when they finished it."""

    person_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter the person’s full name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Their work email address. It tells people with the same name apart."),
        max_length=254,
        error_messages={
            "required": _("Enter the person’s email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    department = forms.CharField(
        label=_("Department or team (optional)"), max_length=120, required=False
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=StaffRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the person’s role")},
    )
    flags = forms.MultipleChoiceField(
        label=_("About this person"),
        help_text=_("Select all that apply."),
        choices=FLAG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Select the course"),
            "invalid_choice": _("Select the course"),
        },
    )
    delivery_mode = forms.ChoiceField(
        label=_("How was it delivered?"),
        choices=DeliveryMode.choices,
        widget=forms.RadioSelect,
        initial=DeliveryMode.ONLINE,
        error_messages={"required": _("Select how the course was delivered")},
    )
    completed_on = CompletionDateField(
        label=_("Date completed"),
        help_text=_("For example, 27 3 2025"),
        require_all_fields=False,
    )
    certificate = forms.FileField(
        label=_("Certificate (optional)"),
        help_text=_(
            "A PDF or a picture of the certificate, up to 10 MB. Home Office certificates "
            "disappear 30 minutes after the course, so save one as soon as you can."
        ),
        required=False,
    )
    remove_certificate = forms.BooleanField(
        label=_("Remove the certificate kept for this record"), required=False
    )

    def __init__(self, *args, record: TrainingRecord | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_active=True).order_by(
            "order", "title"
        )
        if record is not None:
            staff = record.staff
            if not record.course.is_active:
                self.fields["course"].queryset = Course.objects.filter(
                    pk__in=[
                        *self.fields["course"].queryset.values_list("pk", flat=True),
                        record.course_id,
                    ]
                ).order_by("order", "title")
            self.initial.update(
                {
                    "person_name": staff.name,
                    "email": staff.email,
                    "department": staff.department,
                    "role": staff.role,
                    "flags": [
                        name
                        for name in ("frontline", "contractor", "elected_member")
                        if getattr(staff, name)
                    ],
                    "course": record.course_id,
                    "delivery_mode": record.delivery_mode,
                    "completed_on": record.completed_on,
                }
            )
        if record is None or not record.certificate:
            del self.fields["remove_certificate"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        fields = [
            Fieldset(
                Field.text("person_name", field_width=Fluid.TWO_THIRDS),
                Field.text("email", field_width=Fluid.TWO_THIRDS),
                Field.text("department", field_width=Fluid.TWO_THIRDS),
                Field.radios("role", legend_size=Size.SMALL, small=True),
                Field.checkboxes("flags", legend_size=Size.SMALL, small=True),
                legend=_("The person"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("course", legend_size=Size.SMALL, small=True),
                Field.radios("delivery_mode", legend_size=Size.SMALL, small=True),
                Field("completed_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
                Field("certificate"),
                legend=_("The training"),
                legend_size=Size.MEDIUM,
            ),
        ]
        if "remove_certificate" in self.fields:
            fields.append(Field.checkbox("remove_certificate", small=True))
        self.helper.layout = Layout(*fields)

    def person(self) -> PersonDetails:
        data = self.cleaned_data
        flags = set(data.get("flags") or [])
        return PersonDetails(
            name=data["person_name"],
            email=data["email"],
            department=data.get("department", ""),
            role=data["role"],
            frontline="frontline" in flags,
            contractor="contractor" in flags,
            elected_member="elected_member" in flags,
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("A CSV or Excel (.xlsx) file of up to 5 MB and 10,000 rows."),
        error_messages={"required": _("Select a CSV or XLSX file")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file", context={"label_size": Size.for_label(Size.MEDIUM)})
        )


class RecordFilterForm(forms.Form):
    """The filters of the records list, also used by its exports and the API."""

    q = forms.CharField(label=_("Name or email"), required=False, max_length=100)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("All")
    )
    course = forms.ChoiceField(label=_("Course"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        courses = Course.objects.order_by("order", "title").values_list("code", "title")
        self.fields["course"].choices = [("", _("All")), *courses]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q", "").strip(),
            "agency": str(data["agency"].pk) if data.get("agency") else "",
            "course": data.get("course", ""),
            "status": data.get("status", ""),
        }
