"""The one state → GOV.UK tag colour mapping, as a tag.

A simple tag rather than an ``{% include %}``: case lists show one tag per row, and an
include per row costs a template render each (a queue page of 25 rows spent more on its tags
than on its query).
"""

from django import template
from django.utils.html import format_html

register = template.Library()

# Case states (DESIGN.md §4) and the referrer's coarse statuses.
TAG_COLOURS = {
    "draft": "grey",
    "submitted": "blue",
    "police_assessment": "purple",
    "police_led": "pink",
    "channel_panel": "turquoise",
    "awaiting_consent": "yellow",
    "support": "green",
    "post_exit_review": "light-blue",
    "closed": "grey",
    "received": "blue",
    "being_assessed": "purple",
    # Consultation outcomes (consultations.models.Outcome).
    "no_referral_needed": "grey",
    "referral_advised": "yellow",
    "referred_elsewhere": "light-blue",
    "referral_made": "green",
}


@register.simple_tag
def state_tag(state: str, label) -> str:
    colour = TAG_COLOURS.get(str(state))
    if colour is None:
        return format_html('<strong class="govuk-tag">{}</strong>', label)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)
