"""Channel work that was page-only: a panel's members after scheduling, an intervention's
status, and the support plan document (how consent was sought, the closing report).

Thin over the same selectors and services as the pages (``channel.views``): the object is
found in the caller's scope or answers 404, then who may act (403), then the body (400).
Every answer that shows a case's content is an audited read of it.
"""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from prevent_cms.api.fields import StrictCharField
from referrals import services as referral_services
from referrals.permissions import is_chair_for

from .. import selectors
from ..choices import InterventionStatus
from ..permissions import is_chair_of_panel
from ..services.interventions import intervention_set_status, support_plan_update
from ..services.panels import panel_set_members
from . import serializers as s
from .views import CaseView, _panel_context, _record_agenda_read, _visible_panel

CHAIR_ONLY = "Only the panel's chair may do that."


class PanelMembersInputSerializer(serializers.Serializer):
    members = serializers.ListField(
        child=serializers.UUIDField(error_messages={"invalid": "Not a valid person id"}),
        allow_empty=True,
        help_text="Everyone who should be invited, as user ids from `/api/v1/users/`; the chair "
        "is always a member whether listed or not.",
        error_messages={"required": "List the panel's members (user ids)"},
    )


@extend_schema(
    summary="Set a panel's members after scheduling",
    description="The panel's chair, until its minutes are signed off (409 after). The list "
    "replaces the invitations: people left out lose access to the panel's cases, people added "
    "gain it. Only people of your local authority and the Prevent officers of its force may be "
    "invited. Answers the panel, whose agenda read is recorded in each case's access log.",
    request=PanelMembersInputSerializer,
    responses={200: s.PanelSerializer},
    examples=[
        OpenApiExample(
            "Invite two people",
            request_only=True,
            value={
                "members": [
                    "5a0f1a7e-3a53-4c1e-9d0e-0f6a2b7c9d11",
                    "7b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                ]
            },
        )
    ],
    tags=["channel"],
)
class PanelMembers(APIView):
    def put(self, request, pk):
        panel = _visible_panel(request, pk)
        if not is_chair_of_panel(request.user, panel):
            raise exceptions.PermissionDenied(CHAIR_ONLY)
        body = PanelMembersInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        panel = panel_set_members(
            panel_id=panel.pk, actor=request.user, member_ids=body.validated_data["members"]
        )
        data = s.PanelSerializer(panel, context=_panel_context(request)).data
        _record_agenda_read(request, [data], via="api_panel_members")
        return Response(data)


class InterventionStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=InterventionStatus.choices,
        error_messages={"required": "Select the status", "invalid_choice": "Select the status"},
    )


@extend_schema(tags=["channel"])
class InterventionDetail(APIView):
    @extend_schema(
        summary="One intervention",
        description="For those who see the case's Channel content and for the intervention's "
        "provider. Every read is recorded in the case's access log.",
        responses=s.InterventionSerializer,
        operation_id="channel_intervention_detail",
        examples=[
            OpenApiExample(
                "Mentoring",
                response_only=True,
                value={
                    "id": "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4",
                    "referral": "7b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                    "reference": "PRV-2026-000123",
                    "type": "ideological_mentoring",
                    "provider": "5a0f1a7e-3a53-4c1e-9d0e-0f6a2b7c9d11",
                    "provider_name": "",
                    "start_date": "2026-11-02",
                    "hours": "12.0",
                    "status": "active",
                },
            )
        ],
    )
    def get(self, request, pk):
        intervention = get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
        referral_services.referral_record_view(
            actor=request.user, referral=intervention.referral, via="api_intervention"
        )
        return Response(s.InterventionSerializer(intervention).data)

    @extend_schema(
        summary="Change an intervention's status",
        description="The case's Channel chair, while the case is at Channel: `planned`, "
        "`active`, `completed` or `withdrawn`. Recorded in the audit trail.",
        request=InterventionStatusInputSerializer,
        responses=s.InterventionSerializer,
        examples=[OpenApiExample("Completed", request_only=True, value={"status": "completed"})],
    )
    def patch(self, request, pk):
        intervention = get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
        if not is_chair_for(request.user, intervention.referral):
            raise exceptions.PermissionDenied("Only the case's Channel chair may do that.")
        # A PATCH changes what it names: an empty one (valid, as the schema says) changes
        # nothing and answers the intervention as it is.
        body = InterventionStatusInputSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        if "status" in body.validated_data:
            intervention = intervention_set_status(
                intervention_id=intervention.pk,
                actor=request.user,
                status=body.validated_data["status"],
            )
        return Response(s.InterventionSerializer(intervention).data)


class SupportPlanSerializer(serializers.Serializer):
    """The support plan document, as the support plan page shows it."""

    referral = serializers.UUIDField(source="referral_id")
    consent_sought = StrictCharField(help_text="How, when and by whom consent was sought.")
    closing_report = StrictCharField(
        help_text="How support went and why it ended, written at exit."
    )
    consents = s.ConsentSerializer(many=True)
    interventions = s.InterventionSerializer(many=True)


class SupportPlanInputSerializer(serializers.Serializer):
    consent_sought = StrictCharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="How, when and by whom consent was sought.",
    )
    closing_report = StrictCharField(
        max_length=10000,
        required=False,
        help_text="Written when the person exits support (the case in `support` or "
        "`post_exit_review`); cannot be blank.",
        error_messages={
            "blank": "Enter the closing report: how support went and why it ended",
        },
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                {"consent_sought": ["Give the consent record or the closing report"]}
            )
        for field, value in attrs.items():
            if "\x00" in value:
                raise serializers.ValidationError(
                    {field: ["Remove the hidden control characters from this answer"]}
                )
        return attrs


def _plan_document(request, referral) -> dict:
    user = request.user
    plan = selectors.support_plans_visible_to(user).filter(referral=referral).first()
    return {
        "referral_id": referral.pk,
        "consent_sought": plan.consent_sought if plan else "",
        "closing_report": plan.closing_report if plan else "",
        "consents": selectors.consents_visible_to(user).filter(referral=referral),
        "interventions": selectors.interventions_visible_to(user).filter(referral=referral),
    }


@extend_schema(tags=["channel"])
class CaseSupportPlan(CaseView):
    @extend_schema(
        summary="The support plan document",
        description="How consent was sought, the consents recorded, the interventions and the "
        "closing report, for those who see the case's Channel content. Empty texts until "
        "written. Every read is recorded in the case's access log.",
        responses=SupportPlanSerializer,
        examples=[
            OpenApiExample(
                "In support",
                response_only=True,
                value={
                    "referral": "7b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                    "consent_sought": "By the allocated social worker, at home, with a parent.",
                    "closing_report": "",
                    "consents": [],
                    "interventions": [],
                },
            )
        ],
    )
    def get(self, request, pk):
        referral = self.case(request, pk, read="api_support_plan")
        return Response(SupportPlanSerializer(_plan_document(request, referral)).data)

    @extend_schema(
        summary="Write the support plan's consent record or closing report",
        description="The case's Channel chair, while the case is at Channel; the closing "
        "report only once the person is in support or has exited. Give either field or both. "
        "Answers the document; recorded in the audit trail.",
        request=SupportPlanInputSerializer,
        responses=SupportPlanSerializer,
        examples=[
            OpenApiExample(
                "Closing report",
                request_only=True,
                value={
                    "closing_report": "Engaged well with mentoring; risk reduced; exit agreed "
                    "at the March panel."
                },
            )
        ],
    )
    def patch(self, request, pk):
        referral = self.case(request, pk)
        if not is_chair_for(request.user, referral):
            raise exceptions.PermissionDenied("Only the case's Channel chair may do that.")
        body = SupportPlanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        support_plan_update(referral_id=referral.pk, actor=request.user, **body.validated_data)
        return Response(SupportPlanSerializer(_plan_document(request, referral)).data)


class InterventionBriefSerializer(serializers.Serializer):
    """What the provider is told (issue 16), and nothing else about the case."""

    id = serializers.UUIDField(source="pk")
    reference = serializers.CharField(source="referral.reference")
    type = serializers.CharField()
    person = serializers.CharField(source="referral.subject.full_name")
    contact_route = serializers.CharField(
        help_text="How to contact the person: what the chair chose to share."
    )
    goals = serializers.CharField(help_text="The support plan's goals for this provider.")
    sessions_planned = serializers.IntegerField(allow_null=True)
    sessions_held = serializers.IntegerField()
    hours_agreed = serializers.DecimalField(source="hours", max_digits=6, decimal_places=1)
    hours_delivered = serializers.DecimalField(source="hours_used", max_digits=7, decimal_places=1)
    next_review_on = serializers.SerializerMethodField()

    def get_next_review_on(self, intervention) -> datetime.date | None:
        return selectors.next_review_on(intervention)


@extend_schema(tags=["channel"])
class InterventionBrief(APIView):
    @extend_schema(
        summary="The provider's brief for one of their interventions",
        description="For the intervention's provider alone: the person's name, the contact "
        "route the chair chose to share, the goals of the support plan for this provider, "
        "sessions held against planned, hours delivered against agreed and the next review "
        "date, and nothing else about the case. Anyone else, another provider's intervention "
        "or a closed case: 404. Every read is recorded in the case's access log.",
        responses=InterventionBriefSerializer,
        operation_id="channel_intervention_brief",
        examples=[
            OpenApiExample(
                "Mentoring brief",
                response_only=True,
                value={
                    "id": "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4",
                    "reference": "PRV-2026-000123",
                    "type": "ideological_mentoring",
                    "person": "Alex Example",
                    "contact_route": "Through the college pastoral team, 01632 960 123",
                    "goals": "Build a trusted relationship; explore alternative narratives.",
                    "sessions_planned": 6,
                    "sessions_held": 2,
                    "hours_agreed": "12.0",
                    "hours_delivered": "3.5",
                    "next_review_on": "2027-01-06",
                },
            )
        ],
    )
    def get(self, request, pk):
        intervention = get_object_or_404(selectors.intervention_briefs(request.user), pk=pk)
        referral_services.referral_record_view(
            actor=request.user, referral=intervention.referral, via="api_intervention_brief"
        )
        return Response(InterventionBriefSerializer(intervention).data)
