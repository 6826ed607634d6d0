"""The case's timeline through the API: ``GET /api/v1/referrals/{id}/timeline/`` (issue 16).

The same reader and entries as the timeline page (``channel.timeline``): outside the
caller's scope the answer is 404; each entry shows only what the caller may see. Reading it
is a read of the case, audited as one.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.views import APIView

from accounts.authentication import signed_in
from prevent_cms.api.lists import ListConventions
from referrals import services as referral_services
from referrals.models import Referral
from referrals.timeline import timeline_entries, timeline_kinds

from ..timeline import timeline_reader


class TimelinePersonSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True, help_text="The person's user id.")
    name = serializers.CharField()


class TimelineDetailSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # the field the API names "label"
    value = serializers.CharField(allow_blank=True)


class TimelineEntrySerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind of event, as `kind` filters it.")
    kind_label = serializers.CharField()
    at = serializers.DateTimeField(help_text="When it was recorded.")
    who = TimelinePersonSerializer(allow_null=True, help_text="Who recorded it (null: nobody).")
    summary = serializers.CharField()
    details = TimelineDetailSerializer(many=True)


def entry_data(entry) -> dict:
    return {
        "kind": entry.kind,
        "kind_label": str(entry.kind_label),
        "at": entry.at,
        "who": {"id": entry.actor.pk, "name": entry.who} if entry.actor else None,
        "summary": str(entry.summary),
        "details": [
            {"label": str(label), "value": "" if value is None else str(value)}
            for label, value in entry.details
        ],
    }


def kinds_asked(values: list[str]) -> set[str]:
    """The ``kind`` values asked (repeat ``kind`` for several); 400 naming ``kind`` for one
    that is not a kind of entry."""
    known = {kind for kind, _label in timeline_kinds()}
    unknown = sorted(set(values) - known)
    if unknown:
        raise exceptions.ValidationError(
            {"kind": [f"Not a kind of timeline entry: {', '.join(unknown)}."]}, code="invalid"
        )
    return set(values)


@extend_schema(
    tags=["referrals"],
    parameters=[
        OpenApiParameter(
            "kind",
            OpenApiTypes.STR,
            many=True,
            explode=True,
            enum=[kind for kind, _label in timeline_kinds()],
            description="Only these kinds of entry; repeat it for several "
            "(`?kind=consent&kind=review`). Any other value answers 400.",
        )
    ],
    responses={200: TimelineEntrySerializer(many=True)},
)
class CaseTimeline(ListConventions, APIView):
    def get(self, request, pk):
        actor = signed_in(request)
        try:
            referral, reader = timeline_reader(actor, pk)
        except Referral.DoesNotExist:
            raise Http404 from None  # scope first: outside it, 404 whatever was asked
        kinds = kinds_asked(request.query_params.getlist("kind"))
        referral_services.referral_record_view(actor=actor, referral=referral, via="api_timeline")
        entries = timeline_entries(reader, referral, kinds=kinds or None)
        return self.page_response(entries, lambda page: [entry_data(entry) for entry in page])
