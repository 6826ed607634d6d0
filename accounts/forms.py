from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Username and password. One message for every failure, so it reveals no usernames."""

    error_messages = {
        "invalid_login": _(
            "Enter a correct username and password. If you have forgotten your password, "
            "ask your organisation’s system administrator."
        ),
        "inactive": _(
            "Enter a correct username and password. If you have forgotten your password, "
            "ask your organisation’s system administrator."
        ),
    }


class OneTimeCodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Security code"),
        help_text=_("The 6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        error_messages={
            "required": _("Enter the 6-digit security code"),
            "min_length": _("The security code must be 6 digits"),
            "max_length": _("The security code must be 6 digits"),
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip().replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The security code must be 6 digits"))
        return token
