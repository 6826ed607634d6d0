"""This app's audit actions in words (issue 19), registered in ``apps.py`` with
``prevent_cms.audit_labels``: the audit-trail export's ``action_label`` column and the case
access log read them in the reader's language."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "channel.agency_update_requested": _("Asked an agency for an update"),
    "channel.panel.created": _("Arranged a panel meeting"),
    "channel.panel.moved": _("Moved a panel meeting"),
    "channel.panel.members_changed": _("Changed the panel’s members"),
    "channel.panel.held": _("Recorded that the panel met"),
    "channel.panel.action_added": _("Added an action from the panel"),
    "channel.panel.minutes_saved": _("Saved the panel’s minutes"),
    "channel.panel.signed_off": _("Signed off the panel’s minutes"),
}
