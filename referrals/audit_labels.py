"""What an audit event on a case says to a person reading its access log (issue 19): the
stored action (``referral.viewed``) and where it happened (``via: page``) are codes for the
record and the API; people read these words instead."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from prevent_cms.audit_labels import audit_action_label, words_from_code

from . import lifecycle

ACTIONS = {
    "referral.viewed": _("Viewed the case"),
    "referral.created": _("Started the referral"),
    "referral.draft_saved": _("Saved answers to the draft"),
    "referral.draft_withdrawn": _("Deleted the draft"),
    "referral.national_form_imported": _("Read in a national referral form"),
    "referral.note_added": _("Added a case note"),
    "referral.attachment_added": _("Attached a file"),
    "referral.addendum_added": _("Added information"),
    "referral.assessment_recorded": _("Recorded the police assessment"),
    "referral.assigned": _("Assigned the case"),
    "referral.break_glass": _("Opened the case in an emergency"),
    "referral.exported": _("Exported the case"),
    "referral.searched": _("Found the case in a search"),
    "referral.list_viewed": _("Saw the case in a list"),
    "referral.subject_access_requested": _("Asked for a subject access export"),
    "referral.subject_access_export": _("Made a subject access export"),
    "referral.personal_data_deleted": _("Deleted the personal data"),
    "channel.vulnerability_assessment_recorded": _("Recorded a vulnerability assessment"),
    "channel.support_plan_updated": _("Changed the support plan"),
    "channel.session_recorded": _("Recorded a support session"),
    "channel.review_recorded": _("Recorded a review"),
    "channel.consent_recorded": _("Recorded consent"),
    "channel.intervention_added": _("Added support"),
    "channel.intervention_updated": _("Changed the support"),
    "channel.intervention_brief_updated": _("Changed the provider’s brief"),
    "channel.agency_update_added": _("Added an agency update"),
    "channel.agenda.case_added": _("Added the case to a panel agenda"),
    "channel.agenda.case_removed": _("Took the case off a panel agenda"),
    "channel.agenda.discussion_recorded": _("Recorded the panel discussion"),
    "channel.agenda.decision_recorded": _("Recorded the panel decision"),
    "channel.pack.generated": _("Made a panel pack including the case"),
    "channel.pack.downloaded": _("Downloaded a panel pack including the case"),
    "channel.pack.attested": _("Confirmed a panel pack was destroyed"),
    "consultation.linked": _("Linked a consultation"),
    "referral.contact_updated": _("Changed the referrer’s contact details"),
}

VIA = {
    "page": _("on its page"),
    "api": _("through the API"),
    "export": _("in a case list file"),
    "job": _("in a file"),
    "link": _("through a single-use link"),
    "queue": _("in the triage queue"),
    "today": _("on the Today page"),
    "timeline": _("on the timeline"),
    "panel": _("on a panel page"),
    "record": _("while recording it"),
    "retention": _("in the retention queue"),
    "retention_queue": _("in the retention queue"),
    "attachment": _("by opening a file"),
    "my_referrals": _("in their referrals"),
    "channel_page": _("on its Channel page"),
    "channel_cases": _("in the Channel case list"),
    "channel_dashboard": _("on the Channel page"),
    "channel_interventions": _("in the support list"),
    "session": _("while recording a session"),
    "token": _("through the API"),
    "addendum_add": _("while adding information"),
}


_words = words_from_code


def transition_label(action: str) -> str | None:
    """A lifecycle step by its label (``referral.transition.submit``: "Moved the case:
    Submit"); None for any other action. Registered with ``prevent_cms.audit_labels``."""
    if not action.startswith("referral.transition."):
        return None
    name = action.removeprefix("referral.transition.")
    try:
        return str(_("Moved the case: %(step)s") % {"step": lifecycle.label(name)})
    except KeyError:
        return _words(name)


def action_label(action: str) -> str:
    """The action in words; a transition by its step's label; anything new in plain words
    made from its code rather than the code itself (``prevent_cms.audit_labels``, where
    these are registered, so the audit-trail export says the same)."""
    return audit_action_label(action)


def via_label(via: str) -> str:
    if not via:
        return ""
    if via in VIA:
        return str(VIA[via])
    if via.startswith("api"):
        return str(VIA["api"])
    return _words(via).lower()
