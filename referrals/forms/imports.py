"""The "Upload a national referral form" page's form: the file and the sender's sector."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import ReferrerSector
from .fields import GovForm


class NationalFormUploadForm(GovForm):
    file = forms.FileField(
        label=_("Upload the national referral form"),
        help_text=_(
            "The form as the practitioner sent it: a Word document (.docx) or a PDF saved from "
            "it, smaller than 10 MB"
        ),
        error_messages={"required": _("Select a file"), "empty": _("The selected file is empty")},
    )
    referrer_sector = forms.ChoiceField(
        label=_("Which sector does the person who sent it work in?"),
        help_text=_("The form does not say; the statistics count it."),
        choices=ReferrerSector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the referrer’s sector")},
    )
