"""This app's audit actions in words (issue 19), registered in ``apps.py`` with
``prevent_cms.audit_labels``: the audit-trail export's ``action_label`` column and the case
access log read them in the reader's language."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "auth.sign_in": _("Signed in"),
    "auth.sign_in_failed": _("Could not sign in"),
    "auth.sign_out": _("Signed out"),
    "auth.refused": _("Was refused access"),
    "auth.mfa_enrolled": _("Set up security codes for signing in"),
    "auth.mfa_verified": _("Entered a correct security code"),
    "auth.mfa_failed": _("Entered a wrong security code"),
}
