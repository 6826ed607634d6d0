"""This app's audit actions in words (issue 19), registered in ``apps.py`` with
``prevent_cms.audit_labels``: the audit-trail export's ``action_label`` column and the case
access log read them in the reader's language."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "reports.statistics.viewed": _("Viewed the statistics"),
    "reports.statistics.exported": _("Downloaded the statistics"),
    "reports.export.done": _("Made a report file"),
    "reports.compliance_entry.created": _("Added a compliance entry"),
    "reports.plan_action.created": _("Added an action to the plan"),
    "reports.plan_action.updated": _("Changed an action of the plan"),
}
