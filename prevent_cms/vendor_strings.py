"""Words the vendored packages show on our pages, named here so ``makemessages`` keeps them in
our catalogue (issue 19).

crispy-forms-gds labels the three boxes of a date input with ``gettext("Day")`` and so on but
ships no Welsh; Django looks a msgid up in every catalogue, so ours supplies it.
"""

from django.utils.translation import gettext_noop

VENDOR_STRINGS = (
    gettext_noop("Day"),
    gettext_noop("Month"),
    gettext_noop("Year"),
)
