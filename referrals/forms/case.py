"""The officer's forms on a case: assessment, decision, notes, attachments and break-glass."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import (
    REASONS_NEEDING_SIGNPOST,
    ClosureReason,
    Deconfliction,
    NoteKind,
    Screening,
    SignpostService,
    closure_reasons_for,
)
from ..models import ConcernType
from .fields import GovForm, Text, split_lines


class AssessmentForm(GovForm):
    deconfliction = forms.ChoiceField(
        label=_("Deconfliction outcome"),
        choices=Deconfliction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the deconfliction outcome")},
    )
    concern_type = forms.ChoiceField(
        label=_("Type of concern"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the type of concern"),
            "invalid_choice": _("Select a type of concern from the list"),
        },
    )
    screening = forms.ChoiceField(
        label=_("Screening"),
        choices=Screening.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the screening outcome")},
    )
    vulnerabilities = Text(
        label=_("Vulnerabilities (optional)"),
        help_text=_("Put each vulnerability on its own line"),
        max_length=2000,
        textarea=True,
    )
    risk_summary = Text(
        label=_("Risk summary"), max_length=5000, required=True, textarea=True,
        required_message=_("Enter a summary of the risk"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concern_type"].choices = [
            (c.code, str(c)) for c in ConcernType.objects.filter(active=True)
        ]

    def to_data(self) -> dict:
        d = dict(self.cleaned_data)
        d["vulnerabilities"] = split_lines(d["vulnerabilities"])
        return d


RATIONALE = {
    "label": _("Your reasons for this decision"),
    "max_length": 5000,
    "textarea": True,
    "required_message": _("Give the reasons for this decision"),
}


class DecisionForm(GovForm):
    """Confirmation of a decision: the reasons, and for closing the reason and signposting."""

    def __init__(self, *args, name: str, state: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        if name == "close":
            allowed = closure_reasons_for(state)
            self.fields["reason"] = forms.ChoiceField(
                label=_("Why is the case closing?"),
                choices=[(c.value, c.label) for c in ClosureReason if c.value in allowed],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Select the reason for closing the case"),
                    "invalid_choice": _("Select a reason from the list"),
                },
            )
            self.fields["signposted_to"] = forms.ChoiceField(
                label=_("If signposted, which service? (needed for signposting)"),
                choices=SignpostService.choices,
                widget=forms.RadioSelect,
                required=False,
            )
        if name != "start_assessment":
            self.fields["rationale"] = Text(required=True, **RATIONALE)

    def clean(self):
        data = super().clean()
        if (
            self.name == "close"
            and data.get("reason") in REASONS_NEEDING_SIGNPOST
            and not data.get("signposted_to")
        ):
            self.add_error("signposted_to", _("Select the service the person was signposted to"))
        return data


class NoteForm(GovForm):
    kind = forms.ChoiceField(
        label=_("Is this note fact or opinion?"),
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the note is fact or opinion")},
    )
    text = Text(
        label=_("Note"), max_length=5000, required=True, textarea=True,
        required_message=_("Enter the note"),
    )  # fmt: skip


class AttachmentForm(GovForm):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("PDF, image, Office document or text file, smaller than 10 MB"),
        error_messages={
            "required": _("Select a file"),
            "empty": _("The selected file is empty"),
        },
    )
    description = Text(label=_("Describe the file (optional)"), max_length=200)


class AddendumForm(GovForm):
    """A referrer's information added to a referral already sent (issue 15)."""

    text = Text(
        label=_("What do you want to add?"),
        help_text=_(
            "Tell us anything new since you sent the referral. What you sent before does not "
            "change."
        ),
        max_length=5000,
        required=True,
        textarea=True,
        required_message=_("Enter the information you want to add"),
    )
    file = forms.FileField(
        label=_("Attach a file (optional)"),
        help_text=_("PDF, image, Office document or text file, smaller than 10 MB"),
        required=False,
        error_messages={"empty": _("The selected file is empty")},
    )
    description = Text(label=_("Describe the file (optional)"), max_length=200)


class BreakGlassForm(GovForm):
    reference = Text(
        label=_("Case reference"), max_length=40, required=True,
        required_message=_("Enter the case reference"),
    )  # fmt: skip
    reason = Text(
        label=_("Why do you need to open this case?"), max_length=2000, required=True,
        textarea=True, required_message=_("Give the reason you need to open this case"),
        help_text=_("Recorded in the case's access log; its officer and chair are told."),
    )  # fmt: skip


class AssignForm(GovForm):
    """Whom to assign the case to: the people ``selectors.referral_assignable_people`` gives."""

    assignee = forms.ChoiceField(
        label=_("Who should work on this case?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select who to assign the case to"),
            "invalid_choice": _("Select who to assign the case to"),
        },
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(str(p.pk), p.display_name) for p in people]
