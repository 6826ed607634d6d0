"""This app's audit actions in words (issue 19), registered in ``apps.py`` with
``prevent_cms.audit_labels``: the audit-trail export's ``action_label`` column and the case
access log read them in the reader's language."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "partnership.overview.viewed": _("Viewed the partnership overview"),
    "partnership.board.created": _("Set up a board"),
    "partnership.board.member_added": _("Added a board member"),
    "partnership.board.member_left": _("Recorded that a board member left"),
    "partnership.meeting.scheduled": _("Arranged a board meeting"),
    "partnership.meeting.held": _("Recorded that a board meeting was held"),
    "partnership.meeting.signed_off": _("Signed off a board meeting’s minutes"),
    "partnership.terms.uploaded": _("Uploaded terms of reference"),
    "partnership.terms.downloaded": _("Downloaded terms of reference"),
    "partnership.plan.created": _("Added a plan"),
    "partnership.action.created": _("Added an action"),
    "partnership.action.updated": _("Changed an action"),
    "partnership.agreement.created": _("Added an agreement"),
    "partnership.agreement.updated": _("Changed an agreement"),
    "partnership.disclosure.recorded": _("Recorded a disclosure"),
    "partnership.disclosure.refused": _("Refused a disclosure"),
    "partnership.disclosure_policy.set": _("Changed the disclosure policy"),
    "partnership.ledger.viewed": _("Viewed the disclosure ledger"),
    "partnership.ctlp.uploaded": _("Uploaded a CTLP briefing"),
    "partnership.ctlp.read": _("Read a CTLP briefing"),
    "partnership.ctlp.read_refused": _("Was refused a CTLP briefing"),
    "partnership.due_diligence.recorded": _("Recorded due diligence"),
    "partnership.gap_analysis.recorded": _("Recorded a gap analysis"),
    "partnership.organisation.created": _("Added an organisation"),
    "partnership.project.created": _("Added a project"),
    "partnership.risk_assessment.created": _("Added a risk assessment"),
    "partnership.support.recorded": _("Recorded support given"),
    "partnership.workshop.recorded": _("Recorded a workshop"),
    "partnership.mailing_contact.added": _("Added a contact to the mailing list"),
    "partnership.mailing_contact.confirmed": _("A mailing list contact was confirmed"),
    "partnership.mailing_contact.removed": _("Removed a contact from the mailing list"),
    "partnership.mailing_contact.unsubscribed": _("A contact unsubscribed from the mailing list"),
    "partnership.mailing_list.sent": _("Sent a message to the mailing list"),
}
