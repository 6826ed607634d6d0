from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from prevent_cms.forms import GovFormHelper


class SignInForm(AuthenticationForm):
    """Username and password. One message for every failure, so it reveals no usernames."""

    error_messages = {
        "invalid_login": _(
            "Enter a correct username and password. If you have forgotten your password, "
            "choose “Forgotten your password?” below."
        ),
        "inactive": _(
            "Enter a correct username and password. If you have forgotten your password, "
            "choose “Forgotten your password?” below."
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


def _drawn_inside_the_page_form(form) -> None:
    """crispy-forms-gds draws the fields only: the page has the <form> and its CSRF token."""
    form.helper = GovFormHelper()
    form.helper.form_tag = False
    form.helper.disable_csrf = True


class PasswordResetRequestForm(forms.Form):
    """The address a link to set a new password goes to (issue 20)."""

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The work email address your account uses"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _drawn_inside_the_page_form(self)


class NewPasswordForm(SetPasswordForm):
    """Django's own form and password rules (``AUTH_PASSWORD_VALIDATORS``), in GOV.UK words;
    saving goes through ``accounts.services.password_reset_complete`` (audited)."""

    error_messages = {"password_mismatch": _("The two passwords do not match: type it again")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = _("New password"), _("Type the new password again")
        first.error_messages["required"] = _("Enter a new password")
        second.error_messages["required"] = _("Type the new password again")
        _drawn_inside_the_page_form(self)

    def save(self, commit=True):
        from .services import password_reset_complete

        return password_reset_complete(actor=self.user, password=self.cleaned_data["new_password1"])


class SingleSignOnForm(forms.Form):
    """The work address whose domain chooses the organisation's sign-in (issue 20)."""

    email = forms.EmailField(
        label=_("Work email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your work email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
