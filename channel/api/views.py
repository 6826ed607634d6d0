"""Channel API views: thin wrappers that validate input, call a service, shape output."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from prevent_cms.api import ErrorSerializer
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.lists import ListConventions
from prevent_cms.api.preconditions import digest_etag, require_match
from prevent_cms.api.responses import JobAcceptedSerializer, created, job_accepted
from referrals import services as referral_services
from referrals.selectors import referrals_visible_to

from .. import selectors
from ..models import Panel
from ..services.agenda import agenda_item_record, panel_add_case, panel_remove_case
from ..services.assessments import vulnerability_assessment_record
from ..services.consent import consent_record
from ..services.decisions import agenda_item_decide
from ..services.interventions import intervention_add, intervention_session_record
from ..services.packs import panel_pack_request, panel_pack_use_link
from ..services.panels import (
    agency_update_add,
    panel_action_add,
    panel_create,
    panel_hold,
    panel_sign_off,
)
from ..services.reviews import review_record
from . import serializers as s


def _panel_context(request):
    def agenda_items(panel):
        return selectors.agenda_items_visible_to(request.user).filter(panel=panel).order_by("order")

    return {"request": request, "agenda_items": agenda_items}


def _record_agenda_read(request, panels_data: Iterable[Mapping[str, Any]], via: str) -> None:
    """Panels answer their agenda (each case's discussion): one read of each case shown."""
    referral_services.referral_record_views(
        actor=request.user,
        referral_ids=[item["referral"] for panel in panels_data for item in panel["agenda"]],
        via=via,
    )


def _visible_panel(request, pk) -> Panel:
    return get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)


def _panel_response(request, panel: Panel) -> Response:
    """The panel as the caller sees it, with its ``ETag`` for ``If-Match``."""
    data = s.PanelSerializer(panel, context=_panel_context(request)).data
    return Response(data, headers={"ETag": digest_etag(data)})


def _panel_if_match(request, panel: Panel) -> None:
    """412 if ``If-Match`` names another state of the panel than the one it is in now."""
    if "If-Match" in request.headers:
        require_match(
            request, digest_etag(s.PanelSerializer(panel, context=_panel_context(request)).data)
        )


@extend_schema(tags=["channel"])
class PanelList(IdempotentPost, ListConventions, APIView):
    """Panels of the caller's local authority (chairs) or that the caller is a member of."""

    ordering_fields = ("date", "created_at")

    @extend_schema(responses=s.PanelSerializer(many=True))
    def get(self, request):
        def shown(page):
            data = s.PanelSerializer(page, many=True, context=_panel_context(request)).data
            _record_agenda_read(request, data, via="api_panels")
            return data

        return self.page_response(
            selectors.panels_visible_to(request.user).order_by("-date"), shown
        )

    @extend_schema(request=s.PanelCreateSerializer, responses={201: s.PanelSerializer})
    def post(self, request):
        body = s.PanelCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        panel = panel_create(
            actor=request.user,
            date=data.get("date"),
            location=data.get("location", ""),
            member_ids=data.get("members", []),
        )
        out = s.PanelSerializer(panel, context=_panel_context(request)).data
        location = request.build_absolute_uri(reverse("api:channel-panel-detail", args=[panel.pk]))
        return Response(out, status=status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema(tags=["channel"])
class PanelDetail(APIView):
    etag_methods = ("GET",)

    @extend_schema(responses=s.PanelSerializer, operation_id="channel_panel_detail")
    def get(self, request, pk):
        response = _panel_response(request, _visible_panel(request, pk))
        _record_agenda_read(request, [response.data], via="api_panel")
        return response


@extend_schema(tags=["channel"])
class PanelAgenda(IdempotentPost, ListConventions, APIView):
    ordering_fields = ("order", "added_at")

    @extend_schema(responses=s.AgendaItemSerializer(many=True))
    def get(self, request, pk):
        panel = _visible_panel(request, pk)

        def shown(page):
            data = s.AgendaItemSerializer(page, many=True).data
            _record_agenda_read(request, [{"agenda": data}], via="api_panel_agenda")
            return data

        return self.page_response(_panel_context(request)["agenda_items"](panel), shown)

    @extend_schema(request=s.AgendaAddSerializer, responses={201: s.AgendaItemSerializer})
    def post(self, request, pk):
        panel = _visible_panel(request, pk)
        body = s.AgendaAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = panel_add_case(
            panel_id=panel.pk,
            actor=request.user,
            referral_id=_uuid_or_400(body.validated_data["referral"], "referral"),
            kind=body.validated_data.get("kind", ""),
        )
        data = s.AgendaItemSerializer(item).data
        return created(request, data, "channel-panel-agenda-item", panel.pk, item.referral_id)


@extend_schema(tags=["channel"])
class PanelAgendaItem(APIView):
    """One case on a panel's agenda: its discussion and decision, with an ``ETag`` (a digest:
    an item has no version) that ``If-Match`` on its ``PATCH`` names."""

    etag_methods = ("GET", "PATCH")
    if_match_methods = ("PATCH",)

    def _item(self, request, pk, referral_pk):
        panel = _visible_panel(request, pk)
        return get_object_or_404(
            selectors.agenda_items_visible_to(request.user), panel=panel, referral_id=referral_pk
        )

    @extend_schema(responses=s.AgendaItemSerializer)
    def get(self, request, pk, referral_pk):
        data = s.AgendaItemSerializer(self._item(request, pk, referral_pk)).data
        _record_agenda_read(request, [{"agenda": [data]}], via="api_panel_agenda_item")
        return Response(data, headers={"ETag": digest_etag(data)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, referral_pk):
        panel_remove_case(
            panel_id=_visible_panel(request, pk).pk, actor=request.user, referral_id=referral_pk
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.DiscussionSerializer, responses=s.AgendaItemSerializer)
    def patch(self, request, pk, referral_pk):
        item = self._item(request, pk, referral_pk)
        require_match(request, digest_etag(s.AgendaItemSerializer(item).data))
        body = s.DiscussionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = agenda_item_record(item_id=item.pk, actor=request.user, **body.validated_data)
        data = s.AgendaItemSerializer(item).data
        return Response(data, headers={"ETag": digest_etag(data)})


@extend_schema(
    tags=["channel"],
    request=s.PanelDecisionInSerializer,
    responses={
        200: s.PanelDecisionSerializer,
        400: OpenApiResponse(
            ErrorSerializer,
            description="What is missing, field by field: the decision's own fields and the "
            "lifecycle step's guards (e.g. `vulnerability_assessment`, `signposted_to`).",
        ),
        409: OpenApiResponse(
            ErrorSerializer,
            description="The minutes are signed off, the panel is not held yet, the item "
            "already has its decision, or the case's state does not allow this decision.",
        ),
    },
)
class PanelItemDecision(APIView):
    """The panel's decision on one agenda item: runs the matching lifecycle step."""

    def post(self, request, pk, item_pk):
        panel = _visible_panel(request, pk)
        get_object_or_404(selectors.agenda_items_visible_to(request.user), panel=panel, pk=item_pk)
        body = s.PanelDecisionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        outcome = agenda_item_decide(
            panel_id=panel.pk,
            item_id=item_pk,
            actor=request.user,
            decision=data["decision"],
            reached_by=data["reached_by"],
            rationale=data.get("rationale", ""),
            dissent=data.get("dissent", []),
            signposted_to=data.get("signposted_to", ""),
        )
        return Response(s.PanelDecisionSerializer(outcome).data)


@extend_schema(tags=["channel"], request=s.HoldSerializer, responses=s.PanelSerializer)
class PanelHold(APIView):
    etag_methods = if_match_methods = ("POST",)

    def post(self, request, pk):
        panel = _visible_panel(request, pk)
        _panel_if_match(request, panel)
        body = s.HoldSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        panel = panel_hold(
            panel_id=panel.pk,
            actor=request.user,
            attended_ids=data["attended"],
            minutes=data.get("minutes", ""),
            sign_off=data["sign_off"],
        )
        return _panel_response(request, panel)


@extend_schema(tags=["channel"], request=None, responses=s.PanelSerializer)
class PanelSignOff(APIView):
    etag_methods = if_match_methods = ("POST",)

    def post(self, request, pk):
        panel = _visible_panel(request, pk)
        _panel_if_match(request, panel)
        panel = panel_sign_off(panel_id=panel.pk, actor=request.user)
        return _panel_response(request, panel)


@extend_schema(tags=["channel"])
class PanelActions(IdempotentPost, ListConventions, APIView):
    ordering_fields = ("due_date", "created_at")

    @extend_schema(responses=s.PanelActionSerializer(many=True))
    def get(self, request, pk):
        panel = _visible_panel(request, pk)

        def shown(page):
            referral_services.referral_record_views(
                actor=request.user,
                referral_ids=list(dict.fromkeys(a.referral_id for a in page if a.referral_id)),
                via="api_panel_actions",
            )
            return s.PanelActionSerializer(page, many=True).data

        return self.page_response(
            selectors.panel_actions_visible_to(request.user).filter(panel=panel), shown
        )

    @extend_schema(request=s.PanelActionSerializer, responses={201: s.PanelActionSerializer})
    def post(self, request, pk):
        panel = _visible_panel(request, pk)
        body = s.PanelActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        action = panel_action_add(
            panel_id=panel.pk,
            actor=request.user,
            description=data.get("description", ""),
            owner_id=data.get("owner") or None,
            owner_name=data.get("owner_name", ""),
            due_date=data.get("due_date"),
            referral_id=_uuid_or_400(data["referral"], "referral")
            if data.get("referral")
            else None,
        )
        data = s.PanelActionSerializer(action).data
        return created(request, data, "channel-panel-action", panel.pk, action.pk)


@extend_schema(tags=["channel"], request=s.AgencyUpdateInSerializer, responses={201: dict})
class PanelAgencyUpdates(IdempotentPost, APIView):
    def post(self, request, pk):
        panel = _visible_panel(request, pk)
        body = s.AgencyUpdateInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        update = agency_update_add(
            panel_id=panel.pk,
            referral_id=_uuid_or_400(body.validated_data["referral"], "referral"),
            actor=request.user,
            text=body.validated_data.get("text", ""),
        )
        data = {"id": str(update.pk)}
        return created(request, data, "channel-panel-agency-update", panel.pk, update.pk)


@extend_schema(tags=["channel"])
class PanelPackView(IdempotentPost, APIView):
    """POST starts the pack job (202 + Location); GET answers the caller's own latest copy."""

    starts_job = True

    @extend_schema(request=None, responses={202: JobAcceptedSerializer})
    def post(self, request, pk):
        job = panel_pack_request(panel_id=_visible_panel(request, pk).pk, actor=request.user)
        return job_accepted(request, job.pk)

    @extend_schema(
        responses={
            (200, "application/pdf"): bytes,
            410: OpenApiResponse(
                ErrorSerializer,
                description="The copy was already downloaded (each copy works once, by any "
                "door), its time ran out, it is withdrawn (a case in it has left the agenda "
                "or closed) or was deleted under the retention policy; `detail` says which "
                "and how to ask the chair for a new pack.",
            ),
        }
    )
    def get(self, request, pk):
        panel = _visible_panel(request, pk)
        pack = selectors.panel_packs_visible_to(request.user).filter(panel=panel).first()
        if pack is None or not panel.members.filter(pk=request.user.pk).exists():
            raise exceptions.NotFound("Not found.")
        pack = panel_pack_use_link(pack_id=pack.pk, actor=request.user, via="api")
        return FileResponse(
            pack.file.open("rb"),
            as_attachment=True,
            filename=f"panel-pack-{panel.date:%Y-%m-%d}.pdf",
            content_type="application/pdf",
        )


@extend_schema(tags=["channel"], responses=s.FrameworkSerializer(many=True))
class FrameworkList(ListConventions, APIView):
    ordering_fields = ("code", "title")

    def get(self, request):
        frameworks = selectors.frameworks_visible_to(request.user)
        return self.page_response(
            frameworks, lambda page: s.FrameworkSerializer(page, many=True).data
        )


@extend_schema(tags=["channel"], responses=s.InterventionSerializer(many=True))
class MyInterventions(ListConventions, APIView):
    """Interventions visible to the caller (a provider: exactly their own)."""

    ordering_fields = ("start_date", "created_at")

    def get(self, request):
        def shown(page):
            referral_services.referral_list_record_view(
                actor=request.user,
                references=list(dict.fromkeys(item.referral.reference for item in page)),
                via="api_interventions",
            )
            return s.InterventionSerializer(page, many=True).data

        rows = selectors.interventions_visible_to(request.user).order_by("start_date")
        return self.page_response(rows, shown)


@extend_schema(tags=["channel"])
class InterventionSessions(IdempotentPost, ListConventions, APIView):
    ordering_fields = ("date", "created_at")

    @extend_schema(responses=s.SessionSerializer(many=True))
    def get(self, request, pk):
        rows = selectors.intervention_sessions_visible_to(request.user).filter(intervention_id=pk)
        intervention = get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
        referral_services.referral_record_view(
            actor=request.user, referral=intervention.referral, via="api_sessions"
        )
        return self.page_response(rows, lambda page: s.SessionSerializer(page, many=True).data)

    @extend_schema(request=s.SessionInSerializer, responses={201: s.SessionSerializer})
    def post(self, request, pk):
        # Scope before the body: outside it the answer is 404 whatever was sent.
        get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
        body = s.SessionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = intervention_session_record(
            intervention_id=pk, actor=request.user, **body.validated_data
        )
        data = s.SessionSerializer(session).data
        return created(request, data, "channel-intervention-session", pk, session.pk)


def _uuid_or_400(value, field):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise exceptions.ValidationError({field: ["Not a valid id."]}) from None


# --- Under /api/v1/referrals/<uuid:pk>/ -------------------------------------------------


class CaseView(APIView):
    """Resolves the case: 404 outside scope; 403 where visible but Channel content is not."""

    def case(self, request, pk, *, read: str = ""):
        """``read`` names a GET that answers the case's content: it is an audited read."""
        referral = referrals_visible_to(request.user, by_id=True).filter(pk=pk).first()
        if referral is None:
            raise exceptions.NotFound("Not found.")
        if not selectors.channel_cases_visible_to(request.user).filter(pk=pk).exists():
            raise exceptions.PermissionDenied("You do not have permission to do that.")
        if read:
            referral_services.referral_record_view(actor=request.user, referral=referral, via=read)
        return referral


@extend_schema(tags=["channel"])
class CaseAssessments(IdempotentPost, ListConventions, CaseView):
    ordering_fields = ("date", "created_at")

    @extend_schema(responses=s.AssessmentSerializer(many=True))
    def get(self, request, pk):
        self.case(request, pk, read="api_assessments")
        rows = selectors.vulnerability_assessments_visible_to(request.user).filter(referral_id=pk)
        return self.page_response(rows, lambda page: s.AssessmentSerializer(page, many=True).data)

    @extend_schema(request=s.AssessmentInSerializer, responses={201: s.AssessmentSerializer})
    def post(self, request, pk):
        self.case(request, pk)
        body = s.AssessmentInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assessment = vulnerability_assessment_record(
            referral_id=pk,
            actor=request.user,
            framework=data.get("framework") or "vaf_2012",
            ratings=data.get("ratings") or {},
            evidence=data.get("evidence") or {},
            summary=data.get("summary", ""),
            management_plan=data.get("management_plan", ""),
            date=data.get("date"),
        )
        data = s.AssessmentSerializer(assessment).data
        return created(request, data, "channel-case-assessment", pk, assessment.pk)


@extend_schema(tags=["channel"])
class CaseConsents(IdempotentPost, ListConventions, CaseView):
    ordering_fields = ("date", "created_at")

    @extend_schema(responses=s.ConsentSerializer(many=True))
    def get(self, request, pk):
        self.case(request, pk, read="api_consents")
        rows = selectors.consents_visible_to(request.user).filter(referral_id=pk)
        return self.page_response(rows, lambda page: s.ConsentSerializer(page, many=True).data)

    @extend_schema(request=s.ConsentInSerializer, responses={201: s.ConsentSerializer})
    def post(self, request, pk):
        self.case(request, pk)
        body = s.ConsentInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        consent = consent_record(referral_id=pk, actor=request.user, data=body.validated_data)
        data = s.ConsentSerializer(consent).data
        return created(request, data, "channel-case-consent", pk, consent.pk)


@extend_schema(tags=["channel"])
class CaseInterventions(IdempotentPost, ListConventions, CaseView):
    ordering_fields = ("start_date", "created_at")

    @extend_schema(responses=s.InterventionSerializer(many=True))
    def get(self, request, pk):
        self.case(request, pk, read="api_interventions")
        rows = selectors.interventions_visible_to(request.user).filter(referral_id=pk)
        return self.page_response(rows, lambda page: s.InterventionSerializer(page, many=True).data)

    @extend_schema(request=s.InterventionInSerializer, responses={201: s.InterventionSerializer})
    def post(self, request, pk):
        self.case(request, pk)
        body = s.InterventionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        intervention = intervention_add(
            referral_id=pk, actor=request.user, data=body.validated_data
        )
        data = s.InterventionSerializer(intervention).data
        return created(request, data, "channel-intervention-detail", intervention.pk)


@extend_schema(tags=["channel"])
class CaseReviews(IdempotentPost, ListConventions, CaseView):
    ordering_fields = ("date", "created_at")

    @extend_schema(responses=s.ReviewSerializer(many=True))
    def get(self, request, pk):
        self.case(request, pk, read="api_reviews")
        rows = selectors.reviews_visible_to(request.user).filter(referral_id=pk)
        return self.page_response(rows, lambda page: s.ReviewSerializer(page, many=True).data)

    @extend_schema(request=s.ReviewInSerializer, responses={201: s.ReviewSerializer})
    def post(self, request, pk):
        self.case(request, pk)
        body = s.ReviewInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = review_record(referral_id=pk, actor=request.user, data=body.validated_data)
        data = s.ReviewSerializer(review).data
        return created(request, data, "channel-case-review", pk, review.pk)
