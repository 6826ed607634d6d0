"""The project's URLs plus the framework floor of measurement 1 (bench only, never deployed)."""

from django.http import JsonResponse
from django.urls import include, path

from referrals.choices import State
from referrals.models import Referral

FLOOR_COLUMNS = (
    "id",
    "reference",
    "state",
    "urgent",
    "submitted_at",
    "subject__first_name",
    "subject__last_name",
    "local_authority__name",
    "referrer_agency__name",
)


def floor(request, force):
    """A bare Django view: the queue's 25 rows with ``.values()`` and ``JsonResponse``."""
    rows = list(
        Referral.objects.filter(police_force_id=force)
        .exclude(state__in=[State.DRAFT, State.CLOSED])
        .order_by("-urgent", "submitted_at", "id")
        .values(*FLOOR_COLUMNS)[:25]
    )
    return JsonResponse({"rows": rows})


urlpatterns = [
    path("__bench__/floor/<uuid:force>/", floor),
    path("", include("prevent_cms.urls")),
]
