"""Words our pages show that ``makemessages`` cannot find in a ``gettext()`` call, named here so
it keeps them in our catalogue (issue 19).

The service's name is a setting (``SERVICE_NAME``), translated where pages are given it.

crispy-forms-gds labels the three boxes of a date input with ``gettext("Day")`` and so on but
ships no Welsh; Django looks a msgid up in every catalogue, so ours supplies it.
"""

from django.utils.translation import gettext_noop

VENDOR_STRINGS = (
    gettext_noop("Prevent case management"),
    gettext_noop("Day"),
    gettext_noop("Month"),
    gettext_noop("Year"),
)
