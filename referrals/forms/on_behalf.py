"""The "Record a referral" page's form: how and when a referral was received, and from whom.

A Prevent officer or Prevent lead records a referral that reached them by phone, e-mail,
the national form, letter, in person or after a consultation (issue 15); the rest of the
referral is the same question pages as any draft.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prevent_cms.forms import GovDateField

from ..choices import ON_BEHALF_ROUTES, ReceivedVia, ReferrerSector
from .fields import GovForm, Text

TIME_PATTERN = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")
PHONE_PATTERN = re.compile(r"^[0-9 +()-]*$")


class ReceivedOnField(GovDateField):
    """The day the referral was received, typed as day, month and year."""

    def __init__(self, **kwargs):
        enter = _("Enter the date the referral was received, for example 27 3 2026")
        super().__init__(
            enter=enter,
            incomplete=enter,
            part=_("The date received must include a %(part)s"),
            invalid=_("The date received must be a real date, for example 27 3 2026"),
            **kwargs,
        )


def _anchor(bound) -> str:
    """The id of a field's first input: the first radio, the day box, or the input itself."""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect):
        return f"{bound.auto_id}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound.auto_id}_0"
    return bound.auto_id


class ReferrerContactForm(GovForm):
    """Who raised the concern: on "Record a referral", and on its own page to correct a draft
    recorded on their behalf (a national form does not say its sender's sector)."""

    contact_name = Text(
        label=_("Referrer’s name"),
        max_length=200,
        required=True,
        required_message=_("Enter the referrer’s name (or “Anonymous” if they gave none)"),
        help_text=_("The person who raised the concern. Write “Anonymous” if they gave none."),
    )
    contact_organisation = Text(label=_("Their organisation (optional)"), max_length=200)
    contact_sector = forms.ChoiceField(
        label=_("Their sector"),
        choices=ReferrerSector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the referrer’s sector")},
    )
    contact_phone = Text(label=_("Their phone number (optional)"), max_length=40)
    contact_email = forms.EmailField(
        label=_("Their e-mail address (optional)"),
        max_length=254,
        required=False,
        help_text=_("We e-mail them when the referral has been reviewed, never what it says."),
        error_messages={"invalid": _("Enter an e-mail address, like name@example.com")},
    )

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"]
        if not PHONE_PATTERN.fullmatch(phone):
            raise ValidationError(_("Enter a phone number, like 01632 960 001"))
        return phone

    def error_links(self) -> list[tuple[str, str]]:
        """``(anchor, message)`` for the error summary: each link goes to the first input of
        its field (the first radio, the day box), which GOV.UK Frontend then focuses."""
        links = [(_anchor(next(iter(self))), str(error)) for error in self.non_field_errors()]
        for bound in self:
            links.extend((_anchor(bound), str(error)) for error in bound.errors)
        return links

    def contact(self) -> dict:
        """The contact details as ``services`` take them, from a valid form."""
        data = self.cleaned_data
        return {
            "name": data["contact_name"],
            "organisation": data["contact_organisation"],
            "sector": data["contact_sector"],
            "phone": data["contact_phone"],
            "email": data["contact_email"],
        }


class RecordOnBehalfForm(ReferrerContactForm):
    field_order = ["received_via", "received_on", "received_time"]

    received_via = forms.ChoiceField(
        label=_("How was the referral received?"),
        choices=[(code, label) for code, label in ReceivedVia.choices if code in ON_BEHALF_ROUTES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the referral was received")},
    )
    received_on = ReceivedOnField(label=_("Date received"), help_text=_("For example, 27 3 2026"))
    received_time = Text(
        label=_("Time received"),
        max_length=5,
        required=True,
        required_message=_("Enter the time the referral was received, for example 14:30"),
        help_text=_("Use the 24-hour clock, for example 09:15 or 14:30"),
    )

    def clean_received_time(self) -> datetime.time:
        match = TIME_PATTERN.fullmatch(self.cleaned_data["received_time"])
        if match is None:
            raise ValidationError(_("Enter the time received as hours and minutes, like 14:30"))
        return datetime.time(int(match.group(1)), int(match.group(2)))

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("received_on"), cleaned.get("received_time")
        if isinstance(day, datetime.date) and isinstance(time, datetime.time):
            at = timezone.make_aware(datetime.datetime.combine(day, time))
            if at > timezone.now():
                self.add_error(
                    "received_on", _("The date and time received must be now or in the past")
                )
            cleaned["received_at"] = at
        return cleaned

    def service_arguments(self) -> dict:
        """What ``services.referral_start_on_behalf`` takes, from a valid form."""
        data = self.cleaned_data
        return {
            "received_via": data["received_via"],
            "received_at": data["received_at"],
            "referrer_contact": self.contact(),
        }


class ContactEditForm(ReferrerContactForm):
    """The contact's details of a draft recorded on their behalf, corrected on their own page
    (after "Record a referral", or a national form whose sender's sector it did not say)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, referral=None, **kwargs):
        if referral is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "contact_name": referral.contact_name,
                "contact_organisation": referral.contact_organisation,
                "contact_sector": referral.contact_sector,
                "contact_phone": referral.contact_phone,
                "contact_email": referral.contact_email,
                "version": referral.version,
            }
        super().__init__(*args, **kwargs)
