"""``GET /api/v1/clocks/forecast/?days=14``: the clocks that will run out soon (issue 17)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from accounts.authentication import signed_in
from prevent_cms.clocks import CLOCKS, FORECAST_MAX_DAYS, clock_forecast

from .. import services
from .views import ERRORS

DAYS_IN_WORDS = f"Enter how many days ahead to look, a whole number from 1 to {FORECAST_MAX_DAYS}"


class ForecastQuery(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=FORECAST_MAX_DAYS,
        default=FORECAST_MAX_DAYS,
        help_text="How far ahead, in calendar days (1 to 14).",
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), DAYS_IN_WORDS),
    )
    mine = serializers.BooleanField(
        default=False, help_text="Only the caller's own cases (assigned to them, or led by them)."
    )


class ForecastRow(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True, help_text="The case; null for a count.")
    reference = serializers.CharField(allow_blank=True, help_text="The case's reference, or ''.")
    clock = serializers.ChoiceField(choices=list(CLOCKS))
    breaches_on = serializers.DateField()
    assigned_to_me = serializers.BooleanField()
    count = serializers.IntegerField(help_text="1 for a case; people, for training expiry.")


@extend_schema(
    summary="Clocks that will run out soon",
    description=(
        "The statutory clocks (`prevent_cms/clocks.py`) that will run out within `days` "
        "calendar days (1 to 14, default 14; anything else is a 400 saying so) if nothing "
        "happens, soonest first, within what the caller may see: a Prevent officer's force "
        "(triage, assessment), a Channel chair's local authority (time to panel, support "
        "review, post-exit reviews, consent reassessment), a borough lead's training expiry "
        "(counts of people per day, no case). Working days skip weekends and the bank "
        "holidays of `BANK_HOLIDAY_REGION`. `mine=true` keeps the caller's own cases. Each "
        "read is audited with the references it returns."
    ),
    parameters=[ForecastQuery],
    responses={200: ForecastRow(many=True), 400: ERRORS[400]},
    tags=["referrals"],
)
class ClockForecast(generics.ListAPIView):
    serializer_class = ForecastRow
    filter_backends: list = []  # one fixed order: soonest first

    def list(self, request, *args, **kwargs):
        query = ForecastQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = clock_forecast(
            signed_in(request), days=query.validated_data["days"], mine=query.validated_data["mine"]
        )
        page = self.paginate_queryset(rows) or []
        services.referral_list_record_view(
            actor=signed_in(request),
            references=[row["reference"] for row in page if row["reference"]],
            via="api_clock_forecast",
        )
        return self.get_paginated_response(ForecastRow(page, many=True).data)
