"""List filters for ``GET /api/v1/referrals/`` (DESIGN.md §5).

They narrow a queryset already scoped by ``referrals_visible_to``; none widens it. Each
filter reads only what the caller may see on the row: ``state`` matches the real state only
of the rows the caller sees fully (``selectors.referrals_in_state``), so it cannot reveal a
police or panel decision on a row seen coarsely. ``q`` takes a case reference only: a name
in a URL ends up in browser history and proxy logs, so names are searched with
``POST /api/v1/referrals/search/``.
"""

import django_filters
from rest_framework.exceptions import ValidationError

from accounts.models import LocalAuthority
from prevent_cms.api.lists import StrictFilterSet

from ..choices import CoarseStatus, State
from ..selectors import is_reference, referrals_in_state


class ReferralFilter(StrictFilterSet):
    # A blank reference is no filter: the schema's pattern for q allows it.
    blank_allowed = ("q",)

    state = django_filters.CharFilter(
        method="filter_state",
        max_length=24,
        help_text=(
            "A state (draft, submitted, police_assessment, …) or a coarse status (received, "
            "being_assessed, closed). Referrers and agency leads filter by coarse status."
        ),
    )
    local_authority = django_filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.all(), field_name="local_authority"
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", help_text="On or after (YYYY-MM-DD)."
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", help_text="On or before (YYYY-MM-DD)."
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=100,
        help_text=(
            "A case reference (PRV-2026-012345). To search by the person's name, POST to "
            "/api/v1/referrals/search/: names are never put in URLs."
        ),
    )

    def filter_state(self, queryset, name, value):
        if value not in State.values and value not in CoarseStatus.values:
            raise ValidationError({"state": ["Select a state or status from the list"]})
        return referrals_in_state(queryset, self.request.user, value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if not is_reference(value):
            raise ValidationError({"q": [NOT_A_REFERENCE]})
        return queryset.filter(reference__iexact=value)


NOT_A_REFERENCE = (
    "q takes a case reference only, like PRV-2026-012345. To search by name, POST "
    '{"q": "…"} to /api/v1/referrals/search/: names must not travel in URLs.'
)
