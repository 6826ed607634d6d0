"""The consultations API (issue 15), by the conventions of docs/adr/0006.

The same rules as the pages: rows come from ``consultations_visible_to`` (out of scope:
404), a person whose roles work with no consultations gets 403 on the list and on create,
every read is audited, and every write goes through ``consultations.services``. A
consultation's ``ETag`` is its ``version``; ``If-Match`` on its PATCH is checked under the
row lock (412 when someone changed it since).
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import signed_in
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.lists import StrictFilterSet
from prevent_cms.api.preconditions import if_match_version, with_etag
from prevent_cms.api.responses import created
from prevent_cms.errors import InvalidInput

from .. import selectors, services
from ..models import Consultation, Outcome
from .serializers import (
    ConsultationInputSerializer,
    ConsultationPatchSerializer,
    ConsultationRowSerializer,
    ConsultationSerializer,
    LinkInputSerializer,
)

TAGS = ["consultations"]
EXAMPLE_ID = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
EXAMPLE_LA = "6b3c4d5e-7f8a-4b9c-8d1e-2f3a4b5c6d7e"
EXAMPLE_CASE = "4f6d2a8e-3b1c-4d5e-9f70-1a2b3c4d5e6f"
EXAMPLE_IN = {
    "local_authority": EXAMPLE_LA,
    "consulted_on": "2026-12-04",
    "asker_name": "Alex Morgan",
    "asker_organisation": "Northbridge Academy",
    "asker_sector": "education",
    "subject_initials": "JD",
    "subject_age_band": "11_to_15",
    "summary": "A pupil has been sharing extremist videos in a class group chat.",
    "advice": "Talk to the DSL today; if the sharing continues, make a Prevent referral.",
    "outcome": "referral_advised",
}
EXAMPLE_ROW = {
    "id": EXAMPLE_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/consultations/{EXAMPLE_ID}/",
    "consulted_on": "2026-12-04",
    "local_authority": EXAMPLE_LA,
    "asker_name": "Alex Morgan",
    "asker_organisation": "Northbridge Academy",
    "asker_sector": "education",
    "outcome": "referral_advised",
    "referred_to": "",
    "linked": False,
}
EXAMPLE_OUT = {
    **EXAMPLE_ROW,
    "police_force": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
    "subject_initials": "JD",
    "subject_age_band": "11_to_15",
    "summary": EXAMPLE_IN["summary"],
    "advice": EXAMPLE_IN["advice"],
    "referral": None,
    "referral_reference": None,
    "recorded_by": "0b7c6d5e-4f3a-4b2c-9d1e-0f9a8b7c6d5e",
    "version": 1,
    "created_at": "2026-12-04T10:15:00Z",
    "updated_at": "2026-12-04T10:15:00Z",
}
EXAMPLE_LINKED = {
    **EXAMPLE_OUT,
    "outcome": "referral_made",
    "linked": True,
    "referral": EXAMPLE_CASE,
    "referral_reference": "PRV-2026-000123",
    "version": 2,
}


def _require_role(request) -> None:
    if not selectors.may_work_with_consultations(signed_in(request)):
        raise exceptions.PermissionDenied("Only Prevent officers work with consultations.")


class ConsultationFilter(StrictFilterSet):
    outcome = django_filters.ChoiceFilter(
        choices=Outcome.choices, help_text="Only consultations with this outcome."
    )
    follow_up = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_follow_up",
        help_text="`true`: only those to follow up (a referral was advised and none is "
        "linked yet), as the caller's work list counts them; `false`: only the others.",
    )

    class Meta:
        model = Consultation
        fields = ["outcome", "follow_up"]

    def filter_follow_up(self, queryset, name, value):
        to_follow_up = selectors.consultations_to_follow_up(self.request.user).values("pk")
        if value == "true":
            return queryset.filter(pk__in=to_follow_up)
        return queryset.exclude(pk__in=to_follow_up)


@extend_schema_view(
    get=extend_schema(
        summary="Consultations visible to the caller, newest first",
        description="Advice Prevent officers gave before (or instead of) a referral, for "
        "their force area. Filter by `outcome`, or `follow_up`. Rows never show the linked "
        "referral (read one consultation for that). Every read is recorded in the audit "
        "trail with the ids returned. 403 for roles that work with no consultations.",
        examples=[
            OpenApiExample(
                "One row",
                response_only=True,
                value={"count": 1, "next": None, "previous": None, "results": [EXAMPLE_ROW]},
            )
        ],
        tags=TAGS,
    ),
    post=extend_schema(
        summary="Record a consultation",
        description="Someone asked a Prevent officer for advice about a concern: who asked "
        "(no account needed), when, the concern, the advice and the outcome. Never the "
        "person's name: at most `subject_initials` (up to 3 letters) and `subject_age_band`; "
        "when a referral follows, link it (`POST …/link/`). `referred_to` is required when "
        "`outcome` is `referred_elsewhere`. Answers 201 with `Location`; send "
        "`Idempotency-Key` to retry safely. Recorded in the audit trail.",
        request=ConsultationInputSerializer,
        responses={201: ConsultationSerializer},
        examples=[
            OpenApiExample("Referral advised", request_only=True, value=EXAMPLE_IN),
            OpenApiExample(
                "Referred to the MASH",
                request_only=True,
                value={
                    **EXAMPLE_IN,
                    "outcome": "referred_elsewhere",
                    "referred_to": "mash",
                },
            ),
            OpenApiExample("Recorded", response_only=True, value=EXAMPLE_OUT),
        ],
        tags=TAGS,
    ),
)
class ConsultationListCreate(IdempotentPost, generics.ListCreateAPIView):
    serializer_class = ConsultationRowSerializer
    filterset_class = ConsultationFilter
    ordering_fields = ("consulted_on", "created_at")
    ordering = ("-consulted_on", "-created_at")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Consultation.objects.none()
        return selectors.consultations_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        _require_role(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        services.consultation_list_record_view(
            actor=signed_in(request), consultation_ids=[str(c.pk) for c in page], via="api"
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        actor = signed_in(request)
        _require_role(request)
        body = ConsultationInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        area = (
            selectors.consultation_local_authorities_for(actor)
            .filter(pk=data.pop("local_authority"))
            .first()
        )
        if area is None:
            raise InvalidInput({"local_authority": ["Select a local authority of your area"]})
        consultation = services.consultation_record(actor=actor, local_authority=area, data=data)
        answer = ConsultationSerializer(consultation, context={"request": request}).data
        response = created(request, answer, "consultation-detail", consultation.pk)
        return with_etag(response, consultation.version)


@extend_schema_view(
    get=extend_schema(
        summary="One consultation",
        description="With the referral it is linked to, when one followed (the referral's "
        "read is then recorded in its access log too). `ETag` is its version, for "
        "`If-Match` on `PATCH`. Every read is recorded in the audit trail.",
        responses={200: ConsultationSerializer},
        examples=[OpenApiExample("Linked", response_only=True, value=EXAMPLE_LINKED)],
        tags=TAGS,
    ),
    patch=extend_schema(
        summary="Change a consultation",
        description="Any of the fields given on create except `local_authority`; those left "
        "out keep their values. Send the `ETag` as `If-Match` and a change made since answers "
        "412. Recorded in the audit trail (which fields changed, never what they said).",
        request=ConsultationPatchSerializer,
        responses={200: ConsultationSerializer},
        examples=[
            OpenApiExample(
                "The outcome changed",
                request_only=True,
                value={"outcome": "no_referral_needed", "advice": "Keep a record in school."},
            ),
            OpenApiExample("Changed", response_only=True, value={**EXAMPLE_OUT, "version": 2}),
        ],
        tags=TAGS,
    ),
)
class ConsultationDetail(APIView):
    etag_methods = ("GET", "PATCH")
    if_match_methods = ("PATCH",)

    def _answer(self, request, consultation: Consultation) -> Response:
        body = ConsultationSerializer(consultation, context={"request": request}).data
        return with_etag(Response(body), consultation.version)

    def get(self, request, pk):
        consultation = selectors.consultation_get_visible(signed_in(request), pk)
        services.consultation_record_view(
            actor=signed_in(request), consultation=consultation, via="api"
        )
        return self._answer(request, consultation)

    def patch(self, request, pk):
        actor = signed_in(request)
        consultation = selectors.consultation_get_visible(actor, pk)
        expected = if_match_version(request, consultation.version)
        body = ConsultationPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        consultation = services.consultation_update(
            consultation_id=consultation.pk,
            actor=actor,
            data=dict(body.validated_data),
            expected_version=expected,
        )
        return self._answer(request, selectors.consultation_get_visible(actor, consultation.pk))


@extend_schema(
    summary="Link a consultation to the referral that followed it",
    description="`referral` is the id of a submitted referral the caller sees in full (as its "
    "Prevent officer); any other answers 400, as one that does not exist. The outcome "
    "becomes `referral_made`. Linking again to the same referral changes nothing, so a retry "
    "is safe. Recorded in the audit trail.",
    request=LinkInputSerializer,
    responses={200: ConsultationSerializer},
    examples=[
        OpenApiExample("A referral", request_only=True, value={"referral": EXAMPLE_CASE}),
        OpenApiExample("Linked", response_only=True, value=EXAMPLE_LINKED),
    ],
    tags=TAGS,
)
class ConsultationLink(APIView):
    etag_methods = ("POST",)

    def post(self, request, pk):
        actor = signed_in(request)
        consultation = selectors.consultation_get_visible(actor, pk)
        body = LinkInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.consultation_link(
            consultation_id=consultation.pk,
            actor=actor,
            referral_id=body.validated_data["referral"],
        )
        consultation = selectors.consultation_get_visible(actor, consultation.pk)
        answer = ConsultationSerializer(consultation, context={"request": request}).data
        return with_etag(Response(answer), consultation.version)
