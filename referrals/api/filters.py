"""List filters for ``GET /api/v1/referrals/`` (DESIGN.md §5).

They narrow a queryset already scoped by ``referrals_visible_to``; none widens it. A caller
who sees cases only coarsely filters by coarse status, so a ``state`` filter cannot reveal a
police or panel decision.
"""

import django_filters
from django.db.models import Q
from rest_framework.exceptions import ValidationError

from accounts.models import LocalAuthority, Role

from ..choices import CoarseStatus, State, coarse_status


def _sees_real_states(user) -> bool:
    return user.has_role(Role.PREVENT_OFFICER, Role.CHANNEL_CHAIR, Role.PANEL_MEMBER)


class ReferralFilter(django_filters.FilterSet):
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
        help_text="Reference or the person's name (Prevent officers only; ignored otherwise).",
    )

    def filter_state(self, queryset, name, value):
        if value not in State.values and value not in CoarseStatus.values:
            raise ValidationError({"state": ["Select a state or status from the list"]})
        user = self.request.user
        if value in State.values and _sees_real_states(user):
            return queryset.filter(state=value)
        wanted = coarse_status(value) if value in State.values else value
        states = [s for s in State.values if coarse_status(s) == wanted]
        return queryset.filter(state__in=states)

    def filter_q(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value or not self.request.user.has_role(Role.PREVENT_OFFICER):
            return queryset
        name = Q()
        for word in value.split()[:4]:
            name &= Q(subject__first_name__icontains=word) | Q(subject__last_name__icontains=word)
        return queryset.filter(Q(reference__iexact=value) | name)
