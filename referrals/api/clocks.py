"""``GET /api/v1/clocks/forecast/?days=14``: the clocks that will run out soon (issue 17)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from accounts.authentication import signed_in

from .. import services
from ..selectors import clock_forecast
from .views import ERRORS


class ForecastQuery(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1, max_value=60, default=14, help_text="How far ahead, in calendar days."
    )
    mine = serializers.BooleanField(
        default=False, help_text="Only the cases assigned to the caller."
    )


class ForecastRow(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    clock = serializers.ChoiceField(choices=["triage", "assessment"])
    breaches_on = serializers.DateField()
    assigned_to_me = serializers.BooleanField()


@extend_schema(
    summary="Clocks that will run out soon",
    description=(
        "The triage (2 working days) and assessment (20 working days) clocks of the caller's "
        "force that will run out within `days` calendar days (1 to 60, default 14) if nothing "
        "happens, soonest first; working days skip weekends and the bank holidays of "
        "`BANK_HOLIDAY_REGION`. `mine=true` keeps the cases assigned to the caller. Prevent "
        "officers only; anyone else gets an empty list. Each read is audited with the "
        "references it returns."
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
            references=[row["reference"] for row in page],
            via="api_clock_forecast",
        )
        return self.get_paginated_response(ForecastRow(page, many=True).data)
