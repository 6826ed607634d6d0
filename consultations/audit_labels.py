"""This app's audit actions in words (issue 19), registered in ``apps.py`` with
``prevent_cms.audit_labels``: the audit-trail export's ``action_label`` column and the case
access log read them in the reader's language."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "consultation.recorded": _("Recorded a consultation"),
    "consultation.changed": _("Changed a consultation"),
    "consultation.viewed": _("Viewed a consultation"),
    "consultation.list_viewed": _("Viewed the list of consultations"),
}
