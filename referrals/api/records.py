"""One created case record at its own URL: where a 201's ``Location`` points (issue 23).

Both are read as the case detail and the notes list show them: by those who see the case
fully (404 outside scope, 403 with less access), each read audited on the case.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.authentication import signed_in

from .. import services
from .notes import NoteSerializer
from .serializers import AssessmentSerializer
from .views import CaseView


@extend_schema(
    summary="One police gateway assessment of the case",
    responses=AssessmentSerializer,
    tags=["referrals"],
)
class ReferralAssessmentDetail(CaseView):
    def get(self, request, pk, assessment_pk):
        referral = self.get_full_case()
        assessment = get_object_or_404(referral.assessments, pk=assessment_pk)
        services.referral_record_view(
            actor=signed_in(request), referral=referral, via="api_assessment"
        )
        return Response(AssessmentSerializer(assessment).data)


@extend_schema(summary="One note on the case", responses=NoteSerializer, tags=["referrals"])
class CaseNoteDetail(CaseView):
    def get(self, request, pk, note_pk):
        referral = self.get_full_case()
        note = get_object_or_404(referral.notes.select_related("author"), pk=note_pk)
        services.referral_record_view(actor=signed_in(request), referral=referral, via="api_note")
        return Response(NoteSerializer(note).data)
