"""How a count beside a link of the service navigation is shown (issue 19).

Past 99 the count is shown as "99+", as GOV.UK services show their badges: a three-digit
count widened the officer's navigation past its one row at 1280 px in Welsh, and a person
looking at the header wants to know that work waits, not how much to the unit (the page
behind the link gives the number). ``data-waiting`` / ``data-unread`` keep the exact count.
"""

from django import template

register = template.Library()

SHOWN_UP_TO = 99


@register.filter
def count_shown(count: int) -> str:
    """``count`` as the navigation shows it: the number up to 99, then "99+"."""
    return f"{SHOWN_UP_TO}+" if count > SHOWN_UP_TO else str(count)
