"""``POST /api/v1/referrals/{id}/assign/``: assign a case's officer or name its case lead."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema

from accounts.authentication import signed_in

from .. import services
from .serializers import AssignInputSerializer
from .views import DETAIL_RESPONSE, ERRORS, CaseView, detail_response


@extend_schema(
    summary="Assign the case (or name its case lead)",
    description=(
        "An officer of the case's force assigns it to themself or a colleague while the police "
        "hold it (`role` `officer`, stages submitted, police assessment and police-led); the "
        "Channel chair of its local authority names the case lead in Channel (`role` "
        "`case_lead`). Reassigning is the same call; assigning the person who already holds "
        "it changes nothing. Every change is kept in the assignment history and audited. "
        "Answers the case's detail."
    ),
    request=AssignInputSerializer,
    responses={200: DETAIL_RESPONSE, **ERRORS},
    examples=[
        OpenApiExample(
            "Assign to an officer",
            request_only=True,
            value={"assignee": "0b8f3c52-6a51-4b0e-9d7e-2f1c9a4e8b10", "role": "officer"},
        ),
        OpenApiExample(
            "Name the case lead",
            request_only=True,
            value={"assignee": "5d2e7a90-1c3b-4f6e-8a9d-7b4c2e1f0a36", "role": "case_lead"},
        ),
    ],
    tags=["referrals"],
)
class ReferralAssign(CaseView):
    serializer_class = AssignInputSerializer

    def post(self, request, pk):
        actor = signed_in(request)
        referral = self.get_full_case()
        body = AssignInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.referral_assign(
            referral_id=referral.pk,
            actor=actor,
            assignee_id=body.validated_data["assignee"],
            role=body.validated_data["role"],
        )
        return detail_response(request, referral)
