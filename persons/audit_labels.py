"""This app's audit actions in words (issue 19), registered in ``apps.py`` with
``prevent_cms.audit_labels``: the audit-trail export's ``action_label`` column and the case
access log read them in the reader's language."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "referral.person_linked": _("Linked the case to a person"),
    "referral.person_unlinked": _("Unlinked the case from a person"),
    "referral.person_rejected": _("Recorded that a possible match is not the same person"),
    "referral.person_identifier_recorded": _("Recorded an identifier of the person"),
    "referral.transfer_requested": _("Asked another area to take over the case"),
    "referral.transfer_accepted": _("Accepted the case’s transfer"),
    "referral.transfer_declined": _("Declined the case’s transfer"),
}
