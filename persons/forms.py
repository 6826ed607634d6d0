"""The person index's forms: is this the same person, unlink, and (issue 18) transfer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.forms.fields import GovForm, Text

from .models import IdentifierKind

SAME, NOT_SAME = "same", "not_same"


class LinkForm(GovForm):
    decision = forms.ChoiceField(
        label=_("Is this the same person?"),
        choices=[(SAME, _("Yes, link the referrals")), (NOT_SAME, _("No, not the same person"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether this is the same person"),
            "invalid_choice": _("Select whether this is the same person"),
        },
    )
    reason = Text(
        label=_("How do you know?"), max_length=2000, required=True, textarea=True,
        required_message=_("Give the reason for this decision"),
        help_text=_("Recorded in both cases’ history with your name."),
    )  # fmt: skip


class UnlinkForm(GovForm):
    reason = Text(
        label=_("Why is this referral not about the same person?"), max_length=2000,
        required=True, textarea=True, required_message=_("Give the reason for this decision"),
    )  # fmt: skip


class TransferForm(GovForm):
    to_local_authority = forms.ModelChoiceField(
        label=_("Which local authority did the person move to?"),
        queryset=None,
        empty_label=_("Select a local authority"),
        error_messages={
            "required": _("Select the local authority the person moved to"),
            "invalid_choice": _("Select a local authority from the list"),
        },
    )
    reason = Text(
        label=_("Why should the case move?"), max_length=2000, required=True, textarea=True,
        required_message=_("Give the reason for the transfer"),
        help_text=_("The receiving area reads this before accepting."),
    )  # fmt: skip

    def __init__(self, *args, local_authorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_local_authority"].queryset = local_authorities


class DeclineTransferForm(GovForm):
    reason = Text(
        label=_("Why are you declining the transfer?"), max_length=2000, required=True,
        textarea=True, required_message=_("Give the reason for declining the transfer"),
    )  # fmt: skip


class IdentifierForm(GovForm):
    """A number that identifies the person; the service checks it (check digit, check letter)
    and its words go on the ``value`` field."""

    kind = forms.ChoiceField(
        label=_("Which number is it?"),
        choices=IdentifierKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether it is an NHS number or a unique pupil number"),
            "invalid_choice": _("Select whether it is an NHS number or a unique pupil number"),
        },
    )
    value = Text(
        label=_("Number"), max_length=20, required=True,
        required_message=_("Enter the number"),
        help_text=_("For example, 943 476 5919 (an NHS number) or B801200005001 (a pupil number)."),
    )  # fmt: skip
