"""The partnership pages' forms (GOV.UK components through crispy-forms-gds). They check
what a person typed; the services decide."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from prevent_cms.forms import NamedDateField

from .models import (
    AgreementKind,
    AgreementStatus,
    BoardKind,
    ComplaintChannel,
    ComplaintOutcome,
    DueDiligenceItem,
    DueDiligenceOutcome,
    FundingRoute,
    LawfulBasis,
    OrganisationType,
    PolicyItem,
    PolicyStatus,
    Rag,
    RiskLevel,
    SessionType,
)

DateField = NamedDateField  # the name every partnership form uses


class PartnershipForm(forms.Form):
    """A partnership form drawn by crispy-forms-gds inside our own page (the one error summary,
    ``includes/error_summary.html``, links each error to the first input of its field)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class BoardForm(PartnershipForm):
    name = forms.CharField(
        label=_("Name of the board"),
        max_length=200,
        error_messages={"required": _("Enter the name of the board")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of board"),
        choices=BoardKind.choices,
        widget=forms.RadioSelect,
        initial=BoardKind.PREVENT_BOARD,
        error_messages={"required": _("Select the kind of board")},
    )
    quorum = forms.IntegerField(
        label=_("Quorum"),
        help_text=_("How many members must attend for a meeting to be quorate."),
        min_value=1,
        max_value=99,
        initial=3,
        error_messages={"required": _("Enter the quorum")},
    )
    local_authorities = forms.ModelMultipleChoiceField(
        label=_("Other local authorities the board serves (optional)"),
        help_text=_("For a board shared by several authorities, such as a county board."),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, local_authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authorities"].queryset = local_authorities
        if not local_authorities.exists():
            del self.fields["local_authorities"]


class MemberForm(PartnershipForm):
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the member’s name")}
    )
    role_title = forms.CharField(label=_("Role (optional)"), max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=None,
        required=False,
        empty_label=_("Another organisation (name it below)"),
    )
    organisation_name = forms.CharField(
        label=_("Organisation (if not in the list)"), max_length=200, required=False
    )
    is_chair = forms.BooleanField(label=_("Chairs the board"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class TermsForm(PartnershipForm):
    file = forms.FileField(
        label=_("Terms of reference document"),
        error_messages={"required": _("Select the terms of reference document")},
    )
    approved_on = DateField(label=_("Date approved"), what=_("The date approved"))


class MeetingForm(PartnershipForm):
    date = DateField(label=_("Date of the meeting"), what=_("The date of the meeting"))
    location = forms.CharField(
        label=_("Place or online link"),
        max_length=300,
        error_messages={"required": _("Enter where the meeting is held, or its online link")},
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
    )


class HoldForm(PartnershipForm):
    attended = forms.MultipleChoiceField(
        label=_("Who attended"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select who attended the meeting")},
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        required=False,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(m.pk), f"{m.name} ({m.organisation})" if m.organisation else m.name)
            for m in members
        ]


class ActionForm(PartnershipForm):
    description = forms.CharField(
        label=_("Action"), max_length=500, error_messages={"required": _("Describe the action")}
    )
    owner = forms.CharField(
        label=_("Owner"),
        help_text=_("The person or agency responsible."),
        max_length=200,
        error_messages={"required": _("Say who owns the action")},
    )
    due_date = DateField(label=_("Due date"), what=_("The due date"))
    rag = forms.ChoiceField(
        label=_("RAG status"),
        choices=Rag.choices,
        widget=forms.RadioSelect,
        initial=Rag.AMBER,
        error_messages={"required": _("Select red, amber or green")},
    )
    risks = forms.MultipleChoiceField(
        label=_("Risks this action answers (optional)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, risks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if risks:
            self.fields["risks"].choices = [(str(r.pk), r.title) for r in risks]
        else:
            del self.fields["risks"]


class ActionEditForm(PartnershipForm):
    owner = ActionForm.base_fields["owner"]
    due_date = DateField(label=_("Due date"), what=_("The due date"))
    rag = ActionForm.base_fields["rag"]
    completed_on = DateField(
        label=_("Date completed (optional)"), what=_("The date completed"), required=False
    )


class RiskAssessmentForm(PartnershipForm):
    """The assessment and up to six ranked priorities (blank rows are left out)."""

    PRIORITIES = 6

    assessed_on = DateField(label=_("Date of the assessment"), what=_("The date of the assessment"))
    review_by = DateField(label=_("Review by"), what=_("The review date"))
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_(
            "What the assessment found, informed by the police Counter-Terrorism Local "
            "Profile. Do not copy OFFICIAL-SENSITIVE detail here."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Enter a summary of the assessment")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, self.PRIORITIES + 1):
            self.fields[f"risk_{n}"] = forms.CharField(
                label=_("Priority %(n)d") % {"n": n}, max_length=200, required=n == 1
            )
            self.fields[f"risk_{n}"].error_messages["required"] = _("Enter at least one priority")
            self.fields[f"level_{n}"] = forms.ChoiceField(
                label=_("Level of priority %(n)d") % {"n": n},
                choices=[("", _("Select a level")), *RiskLevel.choices],
                required=False,
            )

    def clean(self):
        data = super().clean()
        for n in range(1, self.PRIORITIES + 1):
            if data.get(f"risk_{n}") and not data.get(f"level_{n}"):
                self.add_error(f"level_{n}", _("Select the level of priority %(n)d") % {"n": n})
        return data

    def risks(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"title": data[f"risk_{n}"], "level": data[f"level_{n}"]}
            for n in range(1, self.PRIORITIES + 1)
            if data.get(f"risk_{n}")
        ]


class CtlpForm(PartnershipForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter the title of the briefing")},
    )
    received_on = DateField(label=_("Date received"), what=_("The date received"))
    file = forms.FileField(
        label=_("Briefing (PDF)"), error_messages={"required": _("Select the briefing PDF")}
    )
    readers = forms.MultipleChoiceField(
        label=_("Who may read it"),
        help_text=_("Only the people you name can see the briefing exists, or read it."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Name at least one person who may read the briefing")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].choices = [
            (str(p.pk), f"{p.get_full_name() or p.username} ({p.agency.name})") for p in people
        ]


class PlanForm(PartnershipForm):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter the title")}
    )
    starts_on = DateField(label=_("Starts on"), what=_("The start date"))
    ends_on = DateField(label=_("Ends on"), what=_("The end date"))


class AgreementForm(PartnershipForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter the title of the agreement")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AgreementKind.choices, widget=forms.RadioSelect
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Partner agencies"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one partner agency")},
    )
    purpose = forms.CharField(
        label=_("Purpose of the sharing"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Enter the purpose of the sharing")},
    )
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis"),
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the lawful basis for the sharing")},
    )
    starts_on = DateField(label=_("Starts on"), what=_("The start date"))
    review_on = DateField(label=_("Review due on"), what=_("The review date"))
    ends_on = DateField(label=_("Ends on (optional)"), what=_("The end date"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=AgreementStatus.choices,
        widget=forms.RadioSelect,
        initial=AgreementStatus.ACTIVE,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = agencies

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("parties")
        return data


class OrganisationForm(PartnershipForm):
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        error_messages={"required": _("Enter the name of the organisation")},
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the type of organisation")},
    )
    charity_number = forms.CharField(
        label=_("Registered charity number (optional)"), max_length=20, required=False
    )
    engaged_on = DateField(label=_("First engaged on"), what=_("The date first engaged"))


class GapAnalysisForm(PartnershipForm):
    """The safeguarding-policy checklist: one question per item (``item_<code>``)."""

    assessed_on = DateField(label=_("Date of the analysis"), what=_("The date of the analysis"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in PolicyItem.choices:
            self.fields[f"item_{code}"] = forms.ChoiceField(
                label=label,
                choices=PolicyStatus.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Select whether “%(item)s” is met, partly met or not met")
                    % {"item": label}
                },
            )

    def items(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"item_{code}"] for code in PolicyItem.values}


class SupportForm(PartnershipForm):
    date = DateField(label=_("Date"), what=_("The date the support was given"))
    description = forms.CharField(
        label=_("Support given"),
        help_text=_("For example, reviewed the safeguarding policy with the trustees."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": _("Describe the support given")},
    )


class DueDiligenceForm(PartnershipForm):
    route = forms.ChoiceField(
        label=_("Funding route"),
        choices=FundingRoute.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select commissioning or grant")},
    )
    checked_on = DateField(label=_("Date of the checks"), what=_("The date of the checks"))
    checks = forms.MultipleChoiceField(
        label=_("Checks done"),
        choices=DueDiligenceItem.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select the checks done")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=DueDiligenceOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the outcome of the checks")},
    )
    checked_by = forms.CharField(
        label=_("Checked by"),
        help_text=_("The name and role of the person who did the checks."),
        max_length=200,
        error_messages={"required": _("Enter who did the checks")},
    )


class ProjectForm(PartnershipForm):
    title = forms.CharField(
        label=_("Title of the project"),
        max_length=200,
        error_messages={"required": _("Enter the title of the project")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation delivering it"),
        queryset=None,
        empty_label=_("Select an organisation"),
        error_messages={"required": _("Select the organisation delivering the project")},
    )
    funding_amount = forms.DecimalField(
        label=_("Funding (£)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={
            "required": _("Enter the funding in pounds"),
            "invalid": _("Funding must be an amount in pounds, like 2500 or 2500.50"),
            "min_value": _("Funding must be 0 or more"),
        },
    )
    funding_source = forms.CharField(
        label=_("Source of funding"),
        help_text=_("For example, Home Office Prevent grant."),
        max_length=200,
        error_messages={"required": _("Enter the source of the funding")},
    )
    starts_on = DateField(label=_("Starts on"), what=_("The start date"))
    ends_on = DateField(label=_("Ends on (optional)"), what=_("The end date"), required=False)
    outputs = forms.CharField(
        label=_("Outputs (optional)"),
        help_text=_("What the project delivered: sessions, people reached, materials."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class WorkshopForm(PartnershipForm):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter the title")}
    )
    session_type = forms.ChoiceField(
        label=_("Workshop or briefing"),
        choices=SessionType.choices,
        widget=forms.RadioSelect,
        initial=SessionType.WORKSHOP,
        error_messages={"required": _("Select workshop or briefing")},
    )
    date = DateField(label=_("Date"), what=_("The date"))
    audience = forms.CharField(
        label=_("Audience"),
        help_text=_("For example, designated safeguarding leads of primary schools."),
        max_length=200,
        error_messages={"required": _("Enter who the audience was")},
    )
    attendance = forms.IntegerField(
        label=_("Number attending"),
        min_value=0,
        max_value=100000,
        error_messages={
            "required": _("Enter how many attended"),
            "invalid": _("Number attending must be a whole number"),
            "min_value": _("Number attending must be 0 or more"),
        },
    )


class ComplaintForm(PartnershipForm):
    received_on = DateField(label=_("Date received"), what=_("The date received"))
    channel = forms.ChoiceField(
        label=_("How was it received?"),
        choices=ComplaintChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the complaint was received")},
    )
    summary = forms.CharField(
        label=_("What is the complaint about?"),
        help_text=_(
            "One or two lines about the Prevent delivery complained of, for example "
            "‘training session cancelled at short notice’. Do not include names, case "
            "references or details of anyone’s case."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        error_messages={
            "required": _("Enter what the complaint is about"),
            "max_length": _("The summary must be 300 characters or fewer"),
        },
    )
    signposted = forms.BooleanField(
        label=_("The complainant was told of the national complaints route"),
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (when closed)"),
        choices=[("", _("Still open")), *ComplaintOutcome.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    closed_on = DateField(
        label=_("Date closed (optional)"), what=_("The date closed"), required=False
    )


class MailingContactForm(PartnershipForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "They are sent a link to confirm they want to join, and are on the list only "
            "once they use it."
        ),
        max_length=254,
        error_messages={
            "required": _("Enter an e-mail address"),
            "invalid": _("Enter an e-mail address in the right format, like name@example.com"),
        },
    )
