"""Break-glass through the API: open a case outside one's normal scope, giving a reason.

As the page (``referrals.views.break_glass``): a Prevent officer or Channel chair names the
case by its reference (a case outside their scope has no URL they may use) and says why. A
case they may open (``permissions.may_break_glass``) is opened for 24 hours, the reason kept
in its access log and its officer and chairs told; anything else — no such case, another
force's, one not yet at Channel for a chair — answers the same neutral 404.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from prevent_cms.api import ErrorSerializer
from prevent_cms.api.fields import StrictCharField
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.responses import created

from .. import services
from ..selectors import referral_id_for_break_glass
from ..views.break_glass import NEUTRAL


class BreakGlassInputSerializer(serializers.Serializer):
    reference = StrictCharField(
        max_length=40,
        help_text="The case reference, for example PRV-2026-000123.",
        error_messages={
            "required": "Enter the case reference",
            "blank": "Enter the case reference",
        },
    )
    reason = StrictCharField(
        max_length=2000,
        min_length=services.BREAK_GLASS_REASON_MIN,
        help_text="Why you need to open the case (at least 10 characters). Recorded in its "
        "access log; its officer and chair are told.",
        error_messages={
            "required": "Give the reason you need to open this case",
            "blank": "Give the reason you need to open this case",
            "min_length": "Give the reason you need to open this case",
        },
    )


class BreakGlassSerializer(serializers.Serializer):
    referral = serializers.UUIDField(help_text="The case's id.")
    url = serializers.URLField(help_text="The case's detail in the API.")
    expires_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the access ends; null if you could already open the case.",
    )


@extend_schema(
    summary="Open a case outside your normal scope, with a reason (break-glass)",
    description="Prevent officers and Channel chairs. Opens the named case for 24 hours (201); "
    "if you may already see it in full, nothing is granted and the answer is 200 with "
    "`expires_at` null. A reference you may not open, or that does not exist, answers the same "
    "404. The reason is recorded in the case's access log and its officer and chairs are told.",
    request=BreakGlassInputSerializer,
    responses={
        200: BreakGlassSerializer,
        201: BreakGlassSerializer,
        404: OpenApiResponse(
            ErrorSerializer,
            description="No case you may open has that reference (whether or not one exists).",
        ),
    },
    examples=[
        OpenApiExample(
            "Urgent safeguarding call",
            request_only=True,
            value={
                "reference": "PRV-2026-000123",
                "reason": "Out-of-hours call from A&E about this person; the duty officer needs "
                "the case history.",
            },
        )
    ],
    tags=["referrals"],
)
class BreakGlass(IdempotentPost, APIView):
    def post(self, request):
        user = request.user
        if not (user.has_role(Role.PREVENT_OFFICER) or user.has_role(Role.CHANNEL_CHAIR)):
            raise exceptions.PermissionDenied(
                "Only Prevent officers and Channel chairs may do this."
            )
        data = BreakGlassInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral_id = referral_id_for_break_glass(user, data.validated_data["reference"])
        if referral_id is None:
            raise exceptions.NotFound(str(NEUTRAL))
        grant = services.referral_break_glass(
            referral_id=referral_id, actor=user, reason=data.validated_data["reason"]
        )
        url = request.build_absolute_uri(reverse("api:referral-detail", args=[referral_id]))
        body = {
            "referral": referral_id,
            "url": url,
            "expires_at": grant.expires_at if grant else None,
        }
        if grant is None:
            return Response(BreakGlassSerializer(body).data)
        # The grant has no URL of its own: what it opened is the case.
        return created(request, BreakGlassSerializer(body).data, "referral-detail", referral_id)
