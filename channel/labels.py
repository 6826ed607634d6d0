"""The Welsh (and English) words for the Vulnerability Assessment Framework, which is data
(channel migration 0002), not code (issue 19).

The factors' labels are stored in English and looked up in the catalogue when shown
(``gettext(factor.label)``); naming them here with ``gettext_noop`` keeps them in it. The
ratings are stored as codes, shown through ``RATING_LABELS``.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

RATING_LABELS = {
    "not_present": _("Not present"),
    "low": _("Low"),
    "moderate": _("Moderate"),
    "high": _("High"),
}

FACTOR_LABELS = (
    gettext_noop("Grievance and injustice"),
    gettext_noop("Feeling under threat"),
    gettext_noop("Need for identity, meaning and belonging"),
    gettext_noop("Desire for status"),
    gettext_noop("Desire for excitement and adventure"),
    gettext_noop("Need to dominate and control"),
    gettext_noop("Susceptibility to indoctrination"),
    gettext_noop("Desire for political or moral change"),
    gettext_noop("Opportunistic involvement"),
    gettext_noop("Family or friends involved in extremism"),
    gettext_noop("Transitional time of life"),
    gettext_noop("Being influenced or controlled by a group"),
    gettext_noop("Relevant mental health issues"),
    gettext_noop("Over-identification with a group or ideology"),
    gettext_noop("“Them and us” thinking"),
    gettext_noop("Dehumanisation of the enemy"),
    gettext_noop("Attitudes that justify offending"),
    gettext_noop("Harmful means to an end"),
    gettext_noop("Harmful objectives"),
    gettext_noop("Individual knowledge, skills and competencies"),
    gettext_noop("Access to networks, funding or equipment"),
    gettext_noop("Criminal capability"),
)


def rating_label(code: str | None) -> str:
    """A rating's words, or the code itself for a rating this list does not know."""
    return str(RATING_LABELS.get(code, code)) if code else ""
