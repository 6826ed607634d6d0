"""The consultation pages' forms. They check what a person typed; the services decide."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, Sector
from prevent_cms.forms import GovDateField

from .models import AGE_BANDS, Consultation, Outcome, ReferredTo


class ConsultationDateField(GovDateField):
    """The GOV.UK date input with messages that say which part is missing."""

    def __init__(self, **kwargs):
        super().__init__(
            enter=_("Enter the date of the consultation"),
            incomplete=_("The date of the consultation must include a day, month and year"),
            part=_("The date of the consultation must include a %(part)s"),
            invalid=_("The date of the consultation must be a real date"),
            **kwargs,
        )


class ConsultationForm(forms.Form):
    """Who asked, about what, the advice given and what came of it."""

    local_authority = forms.ModelChoiceField(
        label=_("Local authority"),
        help_text=_("The area the concern is about."),
        queryset=LocalAuthority.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Select the local authority"),
            "invalid_choice": _("Select the local authority"),
        },
    )
    consulted_on = ConsultationDateField(
        label=_("Date of the consultation"),
        help_text=_("For example, 27 3 2026"),
        require_all_fields=False,
    )
    asker_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter the name of the person who asked for advice")},
    )
    asker_organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=200, required=False
    )
    asker_sector = forms.ChoiceField(
        label=_("Sector"),
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the sector of the person who asked")},
    )
    subject_initials = forms.CharField(
        label=_("Initials (optional)"),
        help_text=_(
            "Up to 3 letters. Never write the person’s name: it is kept on a referral only."
        ),
        max_length=3,
        required=False,
    )
    subject_age_band = forms.ChoiceField(
        label=_("Age (optional)"),
        choices=[("", _("Not known")), *AGE_BANDS],
        required=False,
    )
    summary = forms.CharField(
        label=_("What were they worried about?"),
        help_text=_("Describe the concern without naming the person."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Enter what they were worried about")},
    )
    advice = forms.CharField(
        label=_("What advice did you give?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Enter the advice given")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the outcome")},
    )
    referred_to = forms.ChoiceField(
        label=_("Referred to (if referred to another service)"),
        choices=[("", _("Not referred elsewhere")), *ReferredTo.choices],
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, local_authorities, consultation: Consultation | None = None, **kw):
        super().__init__(*args, **kw)
        self.fields["local_authority"].queryset = local_authorities
        if consultation is not None:
            del self.fields["local_authority"]  # the area is where it was recorded
            self.initial.update(
                {
                    name: getattr(consultation, name)
                    for name in self.fields
                    if hasattr(consultation, name)
                }
            )
        elif len(choices := list(local_authorities)) == 1:
            self.initial["local_authority"] = choices[0].pk
        self.helper = FormHelper()
        self.helper.form_tag = False
        first = []
        if "local_authority" in self.fields:
            first.append(Field.radios("local_authority", legend_size=Size.SMALL, small=True))
        first.append(Field("consulted_on", context={"legend_size": Size.for_legend(Size.SMALL)}))
        self.helper.layout = Layout(
            *first,
            Fieldset(
                Field.text("asker_name", field_width=Fluid.TWO_THIRDS),
                Field.text("asker_organisation", field_width=Fluid.TWO_THIRDS),
                Field.radios("asker_sector", legend_size=Size.SMALL, small=True),
                legend=_("Who asked for advice"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("subject_initials", field_width=4),
                Field.select("subject_age_band"),
                Field.textarea("summary"),
                legend=_("The concern"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("advice"),
                Field.radios("outcome", legend_size=Size.SMALL, small=True),
                Field.select("referred_to"),
                legend=_("Advice and outcome"),
                legend_size=Size.MEDIUM,
            ),
            Field("version"),
        )

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("local_authority", None)
        data.pop("version", None)
        return data


class LinkForm(forms.Form):
    referral = forms.CharField(
        label=_("Reference of the referral"),
        help_text=_("For example, PRV-2026-000123"),
        max_length=30,
        error_messages={"required": _("Enter the reference of the referral")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("referral", field_width=Fluid.ONE_THIRD))
