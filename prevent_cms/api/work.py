"""``GET /api/v1/me/work/``: the caller's Today list as data (issue 17)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import signed_in

from ..work import work_for, work_record_view

WORK_ITEM_FIELDS: dict[str, serializers.Field] = {
    "kind": serializers.CharField(help_text="A stable code: `triage_waiting`, `panel_next`…"),
    "section": serializers.CharField(help_text="The heading it is listed under."),
    "label": serializers.CharField(help_text="What to do, with a reference; never a name."),
    "url": serializers.CharField(help_text="The page where the work is done."),
    "count": serializers.IntegerField(),
    "due": serializers.DateField(allow_null=True),
    "urgency": serializers.IntegerField(
        help_text="Lower is more urgent: 0 overdue, 10 urgent, 20 due soon, 50 to do, "
        "90 for information."
    ),
    "reference": serializers.CharField(help_text="The case reference or panel date, or ''."),
}
WORK = inline_serializer(
    "Work",
    {
        "date": serializers.DateField(),
        "count": serializers.IntegerField(),
        "items": inline_serializer("WorkItem", WORK_ITEM_FIELDS, many=True),
    },
)


@extend_schema(
    summary="Your work today",
    description=(
        "The same list as the Today (home) page, as data: each thing the caller should do "
        "next, most urgent first, then soonest due, with the URL of the page where it is "
        "done. Its cost does not grow with the number of cases."
    ),
    responses=WORK,
    tags=["work"],
)
class MyWork(APIView):
    def get(self, request):
        user = signed_in(request)
        today = timezone.localdate()
        items = work_for(user, today)
        work_record_view(actor=user, items=items, via="api_today")
        data = []
        for item in items:
            row = item.as_data()
            row["url"] = request.build_absolute_uri(item.url)
            data.append(row)
        return Response({"date": today.isoformat(), "count": len(data), "items": data})
