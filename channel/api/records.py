"""One created Channel record at its own URL: where a 201's ``Location`` points (issue 23).

Each reads through the selector of the list the record belongs to, under the same scope (404
outside it) and is audited as that list's read of the case is.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals import services as referral_services

from .. import selectors
from ..models import AgencyUpdate
from . import serializers as s
from .views import CaseView, _visible_panel


class AgencyUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgencyUpdate
        fields = ["id", "referral", "author", "text", "created_at"]


@extend_schema(tags=["channel"], responses=s.PanelActionSerializer)
class PanelActionDetail(APIView):
    def get(self, request, pk, action_pk):
        panel = _visible_panel(request, pk)
        action = get_object_or_404(
            selectors.panel_actions_visible_to(request.user).filter(panel=panel), pk=action_pk
        )
        if action.referral_id:
            referral_services.referral_record_views(
                actor=request.user, referral_ids=[action.referral_id], via="api_panel_action"
            )
        return Response(s.PanelActionSerializer(action).data)


@extend_schema(tags=["channel"], responses=AgencyUpdateSerializer)
class PanelAgencyUpdateDetail(APIView):
    def get(self, request, pk, update_pk):
        panel = _visible_panel(request, pk)
        update = get_object_or_404(
            selectors.agency_updates_visible_to(request.user).filter(panel=panel), pk=update_pk
        )
        referral_services.referral_record_views(
            actor=request.user, referral_ids=[update.referral_id], via="api_panel_agency_update"
        )
        return Response(AgencyUpdateSerializer(update).data)


@extend_schema(tags=["channel"], responses=s.SessionSerializer)
class InterventionSessionDetail(APIView):
    def get(self, request, pk, session_pk):
        intervention = get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
        session = get_object_or_404(
            selectors.intervention_sessions_visible_to(request.user).filter(
                intervention=intervention
            ),
            pk=session_pk,
        )
        referral_services.referral_record_view(
            actor=request.user, referral=intervention.referral, via="api_session"
        )
        return Response(s.SessionSerializer(session).data)


class CaseRecordDetail(CaseView):
    """One record of a case: the case's scope first (404, or 403 without Channel access)."""

    serializer_class: type[serializers.Serializer]
    via: str

    @staticmethod
    def rows(user):
        raise NotImplementedError

    def get(self, request, pk, record_pk):
        referral = self.case(request, pk)
        record = get_object_or_404(self.rows(request.user).filter(referral_id=pk), pk=record_pk)
        referral_services.referral_record_view(actor=request.user, referral=referral, via=self.via)
        return Response(self.serializer_class(record).data)


@extend_schema(tags=["channel"], responses=s.AssessmentSerializer)
class CaseAssessmentDetail(CaseRecordDetail):
    rows = staticmethod(selectors.vulnerability_assessments_visible_to)
    serializer_class = s.AssessmentSerializer
    via = "api_assessment"


@extend_schema(tags=["channel"], responses=s.ConsentSerializer)
class CaseConsentDetail(CaseRecordDetail):
    rows = staticmethod(selectors.consents_visible_to)
    serializer_class = s.ConsentSerializer
    via = "api_consent"


@extend_schema(tags=["channel"], responses=s.ReviewSerializer)
class CaseReviewDetail(CaseRecordDetail):
    rows = staticmethod(selectors.reviews_visible_to)
    serializer_class = s.ReviewSerializer
    via = "api_review"
