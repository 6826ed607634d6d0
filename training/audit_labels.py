"""This app's audit actions in words (issue 19), registered in ``apps.py`` with
``prevent_cms.audit_labels``: the audit-trail export's ``action_label`` column and the case
access log read them in the reader's language."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "training.record.created": _("Added a training record"),
    "training.record.updated": _("Changed a training record"),
    "training.record.deleted": _("Deleted a training record"),
    "training.certificate.downloaded": _("Downloaded a training certificate"),
    "training.export": _("Downloaded training records"),
    "training.import.uploaded": _("Uploaded training records to import"),
    "training.import.confirmed": _("Confirmed a training import"),
    "training.import.completed": _("Finished a training import"),
    "training.import.cancelled": _("Cancelled a training import"),
    "training.reminder.sending": _("Started sending training reminders"),
    "training.reminder.sent": _("Sent training reminders"),
    "training.reminder.nothing_due": _("Found no training reminders due"),
}
