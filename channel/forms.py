"""HTML forms. They only shape input; services decide what is valid and save it."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prevent_cms.forms import GovDateField, NamedDateField
from referrals.choices import SignpostService

from . import choices
from .labels import rating_label


def _clean_text(value: str) -> str:
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("Remove the invisible NUL character from this text."))
    return value


class PanelForm(forms.Form):
    date = NamedDateField(
        label=_("Date of the panel"),
        what=_("The date of the panel"),
        help_text=_("For example, 27 3 2027"),
        required=False,
    )
    location = forms.CharField(label=_("Place or online link"), max_length=300, required=False)
    members = forms.MultipleChoiceField(
        label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [
            (str(u.pk), f"{u.display_name} ({u.agency.name})") for u in people
        ]


class AgendaForm(forms.Form):
    referral = forms.ChoiceField(label=_("Case"))

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = [("", _("Select a case"))] + [
            (str(r.pk), f"{r.reference} – {r.get_state_display()}") for r in cases
        ]


class HoldForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Who attended"), required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea, validators=[_clean_text]
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(u.pk), f"{u.display_name} ({u.agency.name if u.agency_id else ''})")
            for u in members
        ]


class AssessmentForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary conclusion"),
        required=False,
        widget=forms.Textarea,
        validators=[_clean_text],
    )
    management_plan = forms.CharField(
        label=_("Management plan"), required=False, widget=forms.Textarea, validators=[_clean_text]
    )

    def __init__(self, *args, framework=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.factor_fields = []
        choices = [("", _("Select a rating"))] + [(r, rating_label(r)) for r in framework.ratings]
        for factor in framework.factors.all():
            name = f"rating_{factor.code}"
            self.fields[name] = forms.ChoiceField(
                label=_(factor.label), choices=choices, required=False
            )
            self.factor_fields.append((factor, name))

    def clean(self):
        """Each unrated factor is an error on its own question, in its words, so the error
        summary leads to it (the service's answer names the factors by code, for the API)."""
        cleaned = super().clean()
        for factor, name in self.factor_fields:
            if not cleaned.get(name) and name not in self.errors:
                message = _("Select a rating for “%(factor)s”") % {"factor": _(factor.label)}
                self.add_error(name, message)
        return cleaned

    def ratings(self) -> dict:
        return {
            factor.code: self.cleaned_data.get(name) or None for factor, name in self.factor_fields
        }


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Who gave or declined consent"),
        choices=choices.GivenBy.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    given_by_name = forms.CharField(label=_("Their name"), max_length=200, required=False)
    relationship = forms.CharField(
        label=_("Relationship to the person (parent or guardian)"), max_length=100, required=False
    )
    date = NamedDateField(
        label=_("Date of the decision"), what=_("The date of the decision"), required=False
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=choices.ConsentDecision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    child_view = forms.CharField(
        label=_("The person’s own view"),
        required=False,
        widget=forms.Textarea,
        validators=[_clean_text],
    )
    how_sought = forms.CharField(
        label=_("How, when and by whom consent was sought"),
        required=False,
        widget=forms.Textarea,
        validators=[_clean_text],
    )


class _InterventionFields(forms.Form):
    type = forms.ChoiceField(label=_("Type of support"), choices=choices.InterventionType.choices)
    provider = forms.ChoiceField(label=_("Intervention provider"), required=False)
    provider_name = forms.CharField(
        label=_("Or the provider’s name"), max_length=200, required=False
    )
    start_date = NamedDateField(label=_("Start date"), what=_("The start date"), required=False)
    hours = forms.DecimalField(label=_("Planned hours"), required=False, min_value=0)
    status = forms.ChoiceField(label=_("Status"), choices=choices.InterventionStatus.choices)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", _("None of these"))] + [
            (str(u.pk), u.display_name) for u in providers
        ]


class InterventionBriefForm(forms.Form):
    """What the provider is told (issue 16, the provider's brief); the chair decides."""

    contact_route = forms.CharField(
        label=_("How the provider may contact the person"),
        help_text=_(
            "Only what you choose to share, for example a phone number or “through the school”."
        ),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[_clean_text],
    )
    goals = forms.CharField(
        label=_("Goals of the support plan for this provider"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[_clean_text],
    )
    sessions_planned = forms.IntegerField(
        label=_("Sessions planned"), required=False, min_value=0, max_value=999
    )


class InterventionForm(_InterventionFields, InterventionBriefForm):
    """An intervention and, at once, the provider's brief."""

    field_order = ["type", "provider", "provider_name", "start_date", "hours", "status"]


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of review"), choices=choices.ReviewKind.choices)
    date = NamedDateField(
        label=_("Date of the review"), what=_("The date of the review"), required=False
    )
    risk_change = forms.ChoiceField(
        label=_("Risk since the last review"),
        choices=choices.RiskChange.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    recommend_exit = forms.BooleanField(label=_("The panel recommends exit"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea, validators=[_clean_text]
    )
    early_reason = forms.ChoiceField(
        label=_("If a post-exit review is recorded before its window opens: why"),
        choices=[("", _("It is not early"))] + list(choices.EarlyReviewReason.choices),
        required=False,
    )


class DecisionForm(forms.Form):
    rationale = forms.CharField(
        label=_("Rationale"), required=False, widget=forms.Textarea, validators=[_clean_text]
    )
    reason = forms.CharField(required=False, widget=forms.HiddenInput)
    signposted_to = forms.CharField(required=False)
    reassess_on = NamedDateField(
        label=_("Reassess on"), what=_("The date to reassess"), required=False
    )


class SessionForm(forms.Form):
    date = NamedDateField(
        label=_("Date of the session"), what=_("The date of the session"), required=False
    )
    hours = forms.DecimalField(label=_("Hours"), required=False, min_value=0)
    notes = forms.CharField(
        label=_("Session notes"), required=False, widget=forms.Textarea, validators=[_clean_text]
    )


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Your agency’s update"),
        required=False,
        widget=forms.Textarea,
        validators=[_clean_text],
    )


class AgendaItemForm(forms.Form):
    """The minute of one case: what was discussed and decided, and any action agreed."""

    discussion = forms.CharField(
        label=_("What the panel discussed"),
        required=False,
        widget=forms.Textarea,
        validators=[_clean_text],
    )
    decision = forms.CharField(
        label=_("What the panel decided, as minuted (optional)"),
        help_text=_(
            "The decision itself, which moves the case on, is recorded under "
            "“The panel’s decision” on this page"
        ),
        max_length=200,
        required=False,
    )
    rationale = forms.CharField(
        label=_("Why the panel decided this"),
        required=False,
        widget=forms.Textarea,
        validators=[_clean_text],
    )
    action = forms.CharField(
        label=_("Action agreed (optional)"),
        max_length=500,
        required=False,
        validators=[_clean_text],
    )
    owner = forms.ChoiceField(
        label=_("Who owns the action"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Select an owner from the panel’s members or the people of your local authority"
            )
        },
    )
    due_date = NamedDateField(
        label=_("When the action is due"), what=_("The due date"), required=False
    )

    def __init__(self, *args, members=(), others=(), **kwargs):
        super().__init__(*args, **kwargs)
        member_ids = {u.pk for u in members}
        self.fields["owner"].choices = (
            [("", _("Select who owns the action"))]
            + [(str(u.pk), _("%s (panel member)") % u.display_name) for u in members]
            + [
                (str(u.pk), f"{u.display_name} ({u.agency.name if u.agency_id else ''})")
                for u in others
                if u.pk not in member_ids
            ]
        )

    def clean(self):
        data = super().clean()
        if not (data.get("discussion") or "").strip() and "discussion" not in self.errors:
            self.add_error("discussion", _("Record what the panel discussed"))
        action = (data.get("action") or "").strip()
        if action:
            if not data.get("owner"):
                self.add_error("owner", _("Select who owns the action"))
            if not data.get("due_date") and "due_date" not in self.errors:
                self.add_error("due_date", _("Enter the date the action is due"))
        elif data.get("owner") or data.get("due_date"):
            self.add_error("action", _("Describe the action, or clear its owner and due date"))
        due = data.get("due_date")
        if due and due < timezone.localdate():
            self.add_error("due_date", _("The action’s due date must be today or in the future"))
        return data


DISSENT_ROWS = 3


class PanelDecisionForm(forms.Form):
    """The panel's decision on one agenda item: only the decisions the case's state allows
    are offered (``channel.services.decisions.decisions_for_state``)."""

    decision = forms.ChoiceField(
        label=_("The panel’s decision"), widget=forms.RadioSelect, required=False
    )
    signposted_to = forms.ChoiceField(
        label=_("If not adopted: the service the person was signposted to"),
        choices=[("", _("Select a service"))] + list(SignpostService.choices),
        required=False,
    )
    reached_by = forms.ChoiceField(
        label=_("How the panel reached it"),
        choices=choices.ReachedBy.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    rationale = forms.CharField(
        label=_("Why the panel decided this (for a deferral: why it waits)"),
        required=False,
        widget=forms.Textarea,
        validators=[_clean_text],
    )

    def __init__(self, *args, decisions=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (value, choices.PanelDecision(value).label) for value in decisions
        ]
        agency_choices = [("", _("Select an agency"))] + [(name, name) for name in agencies]
        self.dissent_rows = []
        for number in range(1, DISSENT_ROWS + 1):
            agency, reason = f"dissent_agency_{number}", f"dissent_reason_{number}"
            self.fields[agency] = forms.ChoiceField(
                label=_("Agency that disagreed (%d)") % number,
                choices=agency_choices,
                required=False,
            )
            self.fields[reason] = forms.CharField(
                label=_("Its reason (%d)") % number,
                max_length=500,
                required=False,
                validators=[_clean_text],
            )
            self.dissent_rows.append((self[agency], self[reason]))

    def dissent(self) -> list[dict]:
        return [
            {
                "agency": self.cleaned_data.get(f"dissent_agency_{n}") or "",
                "reason": self.cleaned_data.get(f"dissent_reason_{n}") or "",
            }
            for n in range(1, DISSENT_ROWS + 1)
        ]


class MembersForm(forms.Form):
    members = forms.MultipleChoiceField(
        label=_("Panel members"),
        help_text=_("You chair the panel, so you are always a member."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose members only from your local authority or its police force")
        },
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [
            (str(u.pk), f"{u.display_name} ({u.agency.name if u.agency_id else ''})")
            for u in people
        ]


class ClosingReportForm(forms.Form):
    closing_report = forms.CharField(
        label=_("Closing report"),
        help_text=_(
            "How the support went, what changed for the person, and why they are leaving Channel"
        ),
        required=False,
        widget=forms.Textarea,
        validators=[_clean_text],
    )


class PackAttestationForm(forms.Form):
    attestation = forms.ChoiceField(
        label=_("What became of your copy of the pack?"),
        choices=choices.PackAttestation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("If you kept it: which policy requires it, and why"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[_clean_text],
    )


# --- Moving a panel and asking agencies for updates (issue 17) ------------------------------


class PanelDateField(GovDateField):
    """The GOV.UK date input for a panel's new date, with messages that say what is wrong."""

    def __init__(self, **kwargs):
        super().__init__(
            enter=_("Enter the new date of the panel"),
            incomplete=_("The new date of the panel must include a day, month and year"),
            part=_("The new date of the panel must include a %(part)s"),
            invalid=_("The new date of the panel must be a real date"),
            **kwargs,
        )


class PanelMoveForm(forms.Form):
    """A panel's new day and, if it changes, its new place."""

    date = PanelDateField(
        label=_("New date"), help_text=_("For example, 27 3 2027"), require_all_fields=False
    )
    location = forms.CharField(
        label=_("Place or online link (optional)"),
        help_text=_("Leave it empty to keep the panel where it is."),
        max_length=300,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("date", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("location"),
        )

    def error_links(self) -> list[tuple[str, str]]:
        """Each error summary link to the first input of its field (the day box for the date)."""
        links = []
        for field in self:
            anchor = field.auto_id + (
                "_0" if isinstance(field.field.widget, forms.MultiWidget) else ""
            )
            links += [(anchor, str(error)) for error in field.errors]
        links += [("main-content", str(error)) for error in self.non_field_errors()]
        return links


class UpdateRequestForm(forms.Form):
    """Which case on the agenda, and which member agency is asked for its update."""

    referral = forms.ChoiceField(
        label=_("Case"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a case on this panel’s agenda"),
            "invalid_choice": _("Select a case on this panel’s agenda"),
        },
    )
    agency = forms.ChoiceField(
        label=_("Agency"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select an agency with a member on this panel"),
            "invalid_choice": _("Select an agency with a member on this panel"),
        },
    )

    def __init__(self, *args, cases=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = list(cases)
        self.fields["agency"].choices = list(agencies)
