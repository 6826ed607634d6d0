"""A panel's chair tells its members something (issue 17), through the API: move the panel
(each member gets the new date once, with an updated ``.ics``) and ask an agency for its
update on a case before the panel. The same services as the pages (``channel.views.notices``).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from prevent_cms.api.fields import StrictCharField
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.lists import ListConventions
from prevent_cms.api.responses import created
from referrals import services as referral_services

from .. import selectors
from ..permissions import is_chair_of_panel
from ..services.panels import panel_reschedule
from ..services.update_requests import panel_update_request
from . import serializers as s
from .views import _panel_context, _record_agenda_read, _visible_panel
from .work import CHAIR_ONLY


class PanelMoveInputSerializer(serializers.Serializer):
    date = serializers.DateField(
        help_text="The panel's new day (today or later), as YYYY-MM-DD.",
        error_messages={
            "required": "Enter the new date of the panel",
            "invalid": "Enter the new date of the panel as YYYY-MM-DD",
        },
    )
    location = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Its new place or online link; left out or empty, it stays where it is.",
    )


@extend_schema(
    summary="Move a panel to another day",
    description="The panel's chair, before it is held (409 after). Every member is sent the "
    "new date once, with an updated calendar invitation (the same UID, a higher SEQUENCE, "
    "METHOD:REQUEST) that replaces the old one. Moving it to the day and place it already has "
    "changes nothing and sends nothing. Answers the panel, whose agenda read is recorded in "
    "each case's access log.",
    request=PanelMoveInputSerializer,
    responses={200: s.PanelSerializer},
    tags=["channel"],
)
class PanelMove(APIView):
    def post(self, request, pk):
        panel = _visible_panel(request, pk)
        if not is_chair_of_panel(request.user, panel):
            raise exceptions.PermissionDenied(CHAIR_ONLY)
        body = PanelMoveInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        panel = panel_reschedule(
            panel_id=panel.pk,
            actor=request.user,
            date=body.validated_data["date"],
            location=body.validated_data.get("location", ""),
        )
        data = s.PanelSerializer(panel, context=_panel_context(request)).data
        _record_agenda_read(request, [data], via="api_panel_move")
        return Response(data)


class UpdateRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    panel = serializers.UUIDField(source="panel_id")
    referral = serializers.UUIDField(source="referral_id")
    reference = serializers.CharField(source="referral.reference")
    agency = serializers.UUIDField(source="agency_id")
    agency_name = serializers.CharField(source="agency.name")
    requested_at = serializers.DateTimeField()
    owed = serializers.BooleanField(help_text="No member of the agency has added it yet.")


class UpdateRequestInputSerializer(serializers.Serializer):
    referral = serializers.UUIDField(
        help_text="A case on the panel's agenda.",
        error_messages={"required": "Select a case on this panel's agenda"},
    )
    agency = serializers.UUIDField(
        help_text="An agency with a member on the panel.",
        error_messages={"required": "Select an agency with a member on this panel"},
    )


def _record_reads(request, rows) -> None:
    referral_services.referral_record_views(
        actor=request.user,
        referral_ids=[row.referral_id for row in rows],
        via="api_update_requests",
    )


@extend_schema(tags=["channel"])
class PanelUpdateRequests(IdempotentPost, ListConventions, APIView):
    ordering_fields = ("requested_at",)
    ordering = ("requested_at", "id")

    @extend_schema(
        summary="Agency updates asked for before a panel",
        description="Every request on the panel to its chair; a member's own agency's "
        "otherwise. `owed` is true until a member of the agency adds its update.",
        responses=UpdateRequestSerializer(many=True),
    )
    def get(self, request, pk):
        panel = _visible_panel(request, pk)

        def shown(page):
            _record_reads(request, page)
            return UpdateRequestSerializer(page, many=True).data

        rows = selectors.update_requests_visible_to(request.user).filter(panel=panel)
        return self.page_response(rows, shown)

    @extend_schema(
        summary="Ask an agency for its update before a panel",
        description="The panel's chair, before it is held (409 after): the agency's members "
        "on the panel are told once (the case's reference and a link, never a name) and see "
        "it on their Today page until one of them adds the update. Asking again for the same "
        "case and agency tells no one twice and answers the request already made.",
        request=UpdateRequestInputSerializer,
        responses={201: UpdateRequestSerializer},
    )
    def post(self, request, pk):
        panel = _visible_panel(request, pk)
        if not is_chair_of_panel(request.user, panel):
            raise exceptions.PermissionDenied(CHAIR_ONLY)
        body = UpdateRequestInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = panel_update_request(
            panel_id=panel.pk,
            referral_id=body.validated_data["referral"],
            agency_id=body.validated_data["agency"],
            actor=request.user,
        )
        row = selectors.update_requests_visible_to(request.user).get(pk=made.pk)
        _record_reads(request, [row])
        return created(
            request,
            UpdateRequestSerializer(row).data,
            "channel-panel-update-request",
            panel.pk,
            row.pk,
        )


@extend_schema(
    summary="One agency update request",
    description="As listed by `GET .../update-requests/`: the chair's, or the member's own "
    "agency's.",
    responses=UpdateRequestSerializer,
    tags=["channel"],
)
class PanelUpdateRequestDetail(APIView):
    def get(self, request, pk, request_pk):
        panel = _visible_panel(request, pk)
        row = get_object_or_404(
            selectors.update_requests_visible_to(request.user).filter(panel=panel), pk=request_pk
        )
        _record_reads(request, [row])
        return Response(UpdateRequestSerializer(row).data)
