"""The referrals API (DESIGN.md §5): thin views over ``referrals.services`` and ``selectors``.

Every case is found through ``referrals_visible_to``: outside the caller's scope it answers
404 on every path. A visible case with an action that is not the caller's answers 403; a step
not possible from the current state 409; missing data 400 naming the fields.
"""

from __future__ import annotations

import hashlib

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import signed_in
from accounts.models import Role
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.lists import Ordering
from prevent_cms.api.preconditions import if_match_version
from prevent_cms.api.responses import created
from prevent_cms.errors import PreconditionFailed, StaleEdit, TransitionNotAllowed

from .. import services
from ..choices import CoarseStatus, State, TransitionName
from ..models import PoliceAssessment, Referral
from ..permissions import is_officer_for, is_referrer_of, may_record_on_behalf
from ..selectors import (
    Access,
    referral_access,
    referral_access_log,
    referral_accesses,
    referral_get_visible,
    referral_history,
    referrals_matching,
    referrals_visible_to,
)
from .filters import NOT_A_REFERENCE, ReferralFilter
from .serializers import (
    AccessLogSerializer,
    AssessmentInputSerializer,
    AssessmentSerializer,
    CoarseReferralSerializer,
    FullReferralSerializer,
    HistorySerializer,
    PanelReferralSerializer,
    ReferralCreateSerializer,
    ReferralInputSerializer,
    ReferralListSerializer,
    ReferralSearchInputSerializer,
    TransitionInputSerializer,
)

SERIALIZER_BY_ACCESS = {
    Access.COARSE: CoarseReferralSerializer,
    Access.PANEL: PanelReferralSerializer,
    Access.FULL: FullReferralSerializer,
}

# One of three views of a case, told apart by its ``view`` field: a generated client reads
# the answer as exactly one type (``oneOf`` with a discriminator).
DETAIL_RESPONSE = PolymorphicProxySerializer(
    component_name="ReferralDetailAsSeen",
    serializers={
        view.VIEW: view
        for view in (FullReferralSerializer, PanelReferralSerializer, CoarseReferralSerializer)
    },
    resource_type_field_name="view",
)

# The list's filters as the server checks them (referrals.api.filters): a state or a coarse
# status from the lists, and ``q`` a case reference or nothing.
LIST_FILTERS = [
    OpenApiParameter(
        "state",
        str,
        enum=list(dict.fromkeys([*State.values, *CoarseStatus.values])),
        description="A state, or a coarse status (`received`, `being_assessed`, …). "
        "Referrers and agency leads filter by coarse status.",
    ),
    OpenApiParameter(
        "q",
        str,
        pattern=r"^\s*(?:[Pp][Rr][Vv]-[0-9A-Za-z]{1,8}-[0-9]{1,10})?\s*$",
        description="A case reference (PRV-2026-012345). To search by the person's name, POST "
        "to /api/v1/referrals/search/: names are never put in URLs.",
    ),
]

ON_BEHALF_EXAMPLE = OpenApiExample(
    "Recorded on someone's behalf (Prevent officer or Prevent lead)",
    request_only=True,
    value={
        "received_via": "phone",
        "received_at": "2026-12-07T09:30:00Z",
        "referrer_contact": {
            "name": "Sam Parent",
            "organisation": "",
            "sector": "friends_and_family",
            "phone": "01632 960 123",
            "email": "sam.parent@example.com",
        },
        "subject": {"first_name": "Alex", "last_name": "Example", "date_of_birth": "2009-05-14"},
        "concern_summary": "Their parent phoned: Alex has been sharing extremist videos.",
    },
)

ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Missing or invalid data; `errors` names each field.",
        examples=[
            OpenApiExample(
                "Missing rationale",
                value={
                    "detail": "Check these answers: rationale. Give the reasons for this decision",
                    "code": "guard_failed",
                    "errors": {
                        "rationale": [
                            {"message": "Give the reasons for this decision", "code": "invalid"}
                        ]
                    },
                },
            )
        ],
    ),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Visible, but not yours to do."),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such case in your scope."),
    409: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Not possible from the case's current state.",
        examples=[
            OpenApiExample(
                "Wrong state",
                value={
                    "detail": "A case in “Submitted” cannot take the step “Adopt”.",
                    "code": "transition_not_allowed",
                },
            )
        ],
    ),
}

CREATE_EXAMPLE = OpenApiExample(
    "A referral form",
    request_only=True,
    value={
        "subject": {
            "first_name": "Alex",
            "last_name": "Example",
            "date_of_birth": "2009-05-14",
            "gender": "male",
            "address": "1 Sample Street, Northbridge",
            "postcode": "NB1 2AB",
            "languages": ["English", "Polish"],
            "additional_needs": "",
            "place_of_birth": "Gdańsk, Poland",
            "nationality": "Polish",
            "immigration_status": "EU settled status",
            "first_language": "Polish",
            "interpreter_needed": False,
            "household_members": [
                {"name": "Maria Example", "relationship": "Mother", "age": 41},
                {"name": "Tomasz Example", "relationship": "Brother", "age": 9},
            ],
        },
        "concern_summary": "Has been sharing extremist videos with classmates.",
        "how_concern_arose": "A classmate told their form tutor.",
        "concern_types": ["extreme_right_wing"],
        "indicators": ["extremist_material", "online_activity"],
        "immediate_risk": False,
        "subject_aware": False,
        "discussed_with_lead": True,
        "parental_support": True,
        "parental_support_details": "Mother is worried and wants help.",
        "agencies_consulted": True,
        "agencies_consulted_details": "Children's social care: no open case, advised a referral.",
        "other_agencies": [{"name": "Youth service", "role": "Key worker", "contact": ""}],
        "referrer_phone": "01632 960 001",
    },
)


def detail_response(request, referral: Referral, *, status_code=status.HTTP_200_OK) -> Response:
    """The case as this caller may see it, recorded in the audit trail as a read.

    Its ``ETag`` is the case's version for those who may change it (the officer and chair;
    the referrer while it is a draft), for ``If-Match``. Anyone else gets a digest of what
    they were shown: the version counts every step, which a coarse viewer must not learn.
    A 201 names the new case in ``Location``.
    """
    user = request.user
    referral = referral_get_visible(user, referral.pk)
    access = referral_access(user, referral)
    if access == Access.NONE:  # pragma: no cover - visible implies some access
        raise exceptions.NotFound("Not found.")
    if access == Access.FULL:
        referral = (
            Referral.objects.select_related(
                "subject", "referrer", "referrer_agency", "assigned_officer", "case_lead"
            )
            .prefetch_related(
                Prefetch(
                    "assessments",
                    queryset=PoliceAssessment.objects.select_related("officer"),
                )
            )
            .get(pk=referral.pk)
        )
    services.referral_record_view(actor=user, referral=referral, via="api")
    serializer = SERIALIZER_BY_ACCESS[access](
        referral,
        context={
            "request": request,
            "available_transitions": services.available_transitions(referral=referral, actor=user),
        },
    )
    headers = {"ETag": _etag(referral, access, serializer.data)}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = request.build_absolute_uri(
            reverse("api:referral-detail", args=[referral.pk])
        )
    return Response(serializer.data, status=status_code, headers=headers)


def _etag(referral: Referral, access: Access, data) -> str:
    if access == Access.FULL or referral.state == State.DRAFT:
        return f'"{referral.version}"'
    shown = repr(sorted(data.items())).encode()
    return '"' + hashlib.sha256(shown).hexdigest()[:32] + '"'


def _expected_version(request, referral: Referral) -> int | None:
    """The version ``If-Match`` names (412 at once if it is not the current one); None
    when the header is absent."""
    return if_match_version(request, referral.version)


class CaseView(APIView):
    """Base for the paths under one case: finds it in scope or answers 404."""

    def get_case(self) -> Referral:
        return referral_get_visible(self.request.user, self.kwargs["pk"])

    def get_full_case(self) -> Referral:
        referral = self.get_case()
        if referral_access(self.request.user, referral) != Access.FULL:
            raise exceptions.PermissionDenied(
                "Only the Prevent officer or Channel chair for this case may see this."
            )
        return referral


class ReferralListing(generics.GenericAPIView):
    """What the list and the search answer: a page of rows, each row's ``state`` as fine as
    the caller may see it, and one audit event naming the references returned."""

    def listed(self, request, queryset, *, via: str, searched: bool = False) -> Response:
        page = self.paginate_queryset(queryset) or []
        accesses = referral_accesses(request.user, page)
        fine_state_ids = {
            pk for pk, access in accesses.items() if access in (Access.FULL, Access.PANEL)
        }
        services.referral_list_record_view(
            actor=request.user,
            references=[referral.reference for referral in page],
            via=via,
            searched=searched,
        )
        serializer = ReferralListSerializer(
            page,
            many=True,
            context={**self.get_serializer_context(), "fine_state_ids": fine_state_ids},
        )
        return self.get_paginated_response(serializer.data)


@extend_schema_view(
    get=extend_schema(
        summary="Referrals visible to the caller",
        description=(
            "Officers see their force area's submitted cases, chairs their local authority's "
            "cases from `channel_panel` on, referrers their own and agency leads their "
            "agency's. On rows the caller sees only coarsely (as their referrer or agency "
            "lead) `state` is the coarse status, and the `state` filter matches that row's "
            "coarse status only. `q` takes a case reference; a name is searched with "
            "`POST /api/v1/referrals/search/`. Every read is recorded in the audit trail with "
            "the references returned."
        ),
        parameters=LIST_FILTERS,
        responses={
            200: ReferralListSerializer(many=True),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="A filter that is not valid; `errors` names it.",
                examples=[
                    OpenApiExample(
                        "A name in q",
                        value={
                            "detail": f"Check these answers: q. {NOT_A_REFERENCE}",
                            "code": "invalid",
                            "errors": {"q": [{"message": NOT_A_REFERENCE, "code": "invalid"}]},
                        },
                    )
                ],
            ),
        },
        tags=["referrals"],
    ),
    post=extend_schema(
        summary="Start a referral (draft)",
        request=ReferralCreateSerializer,
        responses={201: CoarseReferralSerializer, 400: ERRORS[400], 403: ERRORS[403]},
        examples=[CREATE_EXAMPLE, ON_BEHALF_EXAMPLE],
        tags=["referrals"],
    ),
)
class ReferralListCreate(IdempotentPost, ReferralListing, generics.ListCreateAPIView):
    serializer_class = ReferralListSerializer
    filterset_class = ReferralFilter
    # Nothing a coarse viewer may not see on the row (never state or when it last changed).
    ordering_fields = ("submitted_at", "created_at", "reference")

    def get_queryset(self):
        return referrals_visible_to(self.request.user).select_related("subject")

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        return self.listed(request, queryset, via="api", searched=bool(request.GET.get("q")))

    def create(self, request, *args, **kwargs):
        user = signed_in(request)
        on_behalf_allowed = may_record_on_behalf(user)
        refers = user.has_role(Role.REFERRER, Role.AGENCY_LEAD)
        on_behalf = isinstance(request.data, dict) and "received_via" in request.data
        if not (refers or (on_behalf_allowed and on_behalf)):
            raise exceptions.PermissionDenied(
                "Only referrers start their own referral. Prevent officers and Prevent leads "
                "record one on someone's behalf with received_via, received_at and "
                "referrer_contact."
                if on_behalf_allowed
                else "Only referrers, Prevent officers and Prevent leads may start a referral."
            )
        data = ReferralCreateSerializer(
            data=request.data, context={"on_behalf_allowed": on_behalf_allowed}
        )
        data.is_valid(raise_exception=True)
        body = dict(data.validated_data)
        body.pop("version", None)
        if "received_via" in body:
            referral = services.referral_start_on_behalf(
                actor=user,
                received_via=body.pop("received_via"),
                received_at=body.pop("received_at"),
                referrer_contact=body.pop("referrer_contact"),
                data=body,
            )
        else:
            referral = services.referral_create_draft(actor=user, data=body)
        return detail_response(request, referral, status_code=status.HTTP_201_CREATED)


@extend_schema(
    summary="Search referrals by reference or the person's name (Prevent officers)",
    description=(
        "The search is in the body, never in the URL: a name in a URL reaches browser "
        "history and proxy logs. Answers the list's page of rows, scoped exactly as "
        "`GET /api/v1/referrals/`, newest first; `next` and `previous` take the same body. "
        "The search is recorded in the audit trail with the references it returned (not the "
        "words searched for)."
    ),
    request=ReferralSearchInputSerializer,
    responses={
        200: ReferralListSerializer(many=True),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="No search given, or one too long; `errors` names the field.",
            examples=[
                OpenApiExample(
                    "Empty search",
                    value={
                        "detail": "Check these answers: q. The search cannot be empty",
                        "code": "invalid",
                        "errors": {
                            "q": [{"message": "The search cannot be empty", "code": "blank"}]
                        },
                    },
                )
            ],
        ),
        403: OpenApiResponse(
            OpenApiTypes.OBJECT, description="Only Prevent officers search referrals."
        ),
    },
    examples=[OpenApiExample("By name", request_only=True, value={"q": "Robin Marsh"})],
    tags=["referrals"],
)
class ReferralSearch(ReferralListing, generics.GenericAPIView):
    serializer_class = ReferralListSerializer
    filter_backends: list = []

    def post(self, request):
        if not request.user.has_role(Role.PREVENT_OFFICER):
            raise exceptions.PermissionDenied("Only Prevent officers may search referrals.")
        data = ReferralSearchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        queryset = referrals_matching(
            referrals_visible_to(request.user).select_related("subject"),
            data.validated_data["q"],
        )
        return self.listed(request, queryset, via="api", searched=True)


@extend_schema_view(
    get=extend_schema(
        summary="One referral, as the caller may see it",
        description=(
            "Always `id`, `reference`, `state`, `available_transitions`. A referrer or agency "
            "lead sees what was submitted and a coarse `status` only; a panel member what "
            "the panel needs; the force's Prevent officer and the local authority's Channel "
            "chair the whole case. Every read is recorded in the access log."
        ),
        responses={200: DETAIL_RESPONSE, 404: ERRORS[404]},
        tags=["referrals"],
    ),
    patch=extend_schema(
        summary="Edit a draft (its referrer)",
        request=ReferralInputSerializer,
        responses={200: CoarseReferralSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Add the phone number",
                request_only=True,
                value={"referrer_phone": "01632 960 001", "version": 2},
            )
        ],
        tags=["referrals"],
    ),
    delete=extend_schema(
        summary="Withdraw a draft (its referrer)",
        description=(
            "Deletes a draft its referrer no longer means to send, with any files attached to "
            "it. Only a draft, only by its referrer: a referral already sent is the case's "
            "record and answers 409. Recorded in the audit trail by reference."
        ),
        request=None,
        responses={204: None, 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409]},
        tags=["referrals"],
    ),
)
class ReferralDetail(CaseView):
    serializer_class = FullReferralSerializer
    etag_methods = ("GET", "PATCH")
    if_match_methods = ("PATCH",)

    def get(self, request, pk):
        return detail_response(request, self.get_case())

    def patch(self, request, pk):
        referral = self.get_case()
        if not is_referrer_of(request.user, referral):
            raise exceptions.PermissionDenied("Only the referrer may edit a draft.")
        data = ReferralInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        body = dict(data.validated_data)
        version = body.pop("version", None)
        if_match = _expected_version(request, referral) if referral.state == State.DRAFT else None
        if if_match is not None and version is not None and version != if_match:
            raise StaleEdit(
                referral.version,
                "Someone else saved this referral since you opened it. Reload and try again.",
            )
        try:
            referral = services.referral_update_draft(
                referral_id=referral.pk,
                actor=request.user,
                data=body,
                expected_version=if_match if if_match is not None else version,
            )
        except StaleEdit as error:
            if if_match is None:
                raise
            raise PreconditionFailed from error
        return detail_response(request, referral)

    def delete(self, request, pk):
        referral = self.get_case()
        if not is_referrer_of(request.user, referral):
            raise exceptions.PermissionDenied("Only the referrer may withdraw a draft.")
        services.referral_delete_draft(referral_id=referral.pk, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    summary="Run a lifecycle transition",
    description=(
        "Names: " + ", ".join(f"`{n}`" for n in TransitionName.values) + ". The body is the "
        "step's data: `rationale` for decisions; `reason` (and `signposted_to` or "
        "`reassess_on` where the reason needs it) to close. Answers the new detail."
    ),
    parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=TransitionName.values)],
    request=TransitionInputSerializer,
    responses={200: DETAIL_RESPONSE, **ERRORS},
    examples=[
        OpenApiExample(
            "Refer to Channel",
            request_only=True,
            value={"rationale": "Clear vulnerability; multi-agency support needed."},
        ),
        OpenApiExample(
            "Close as signposted",
            request_only=True,
            value={
                "reason": "signposted",
                "signposted_to": "mental_health",
                "rationale": "Needs mental health support, not Prevent.",
            },
        ),
    ],
    tags=["referrals"],
)
class ReferralTransitionRun(CaseView):
    serializer_class = TransitionInputSerializer
    etag_methods = ("POST",)
    if_match_methods = ("POST",)

    def post(self, request, pk, name):
        if name not in TransitionName.values:
            raise exceptions.NotFound("There is no such step.")
        referral = self.get_case()
        access = referral_access(request.user, referral)
        if access != Access.FULL:
            # Coarse viewers must not learn the real state from a 409's message.
            if name != "submit" or not is_referrer_of(request.user, referral):
                raise exceptions.PermissionDenied("You do not have permission to do that.")
            if referral.state != State.DRAFT:
                raise TransitionNotAllowed("This referral has already been submitted.")
        expected_version = _expected_version(request, referral)
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payload = {k: v for k, v in data.validated_data.items() if v not in (None, "")}
        try:
            referral = services.referral_transition(
                referral_id=referral.pk,
                name=name,
                actor=request.user,
                payload=payload,
                expected_version=expected_version,
            )
        except StaleEdit as error:
            raise PreconditionFailed from error
        return detail_response(request, referral)


@extend_schema(
    summary="The case history: every transition so far",
    description=(
        "For those who see the case fully: its Prevent officer and Channel chair. "
        "Every read is recorded in the access log."
    ),
    responses={200: HistorySerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
    tags=["referrals"],
)
class ReferralHistory(CaseView, generics.ListAPIView):
    serializer_class = HistorySerializer
    filter_backends = [Ordering]  # one fixed order: ?ordering answers 400

    def get_queryset(self):
        referral = self.get_full_case()
        services.referral_record_view(
            actor=signed_in(self.request), referral=referral, via="api_history"
        )
        return referral_history(referral)


@extend_schema(
    summary="Record the police gateway assessment",
    request=AssessmentInputSerializer,
    responses={201: AssessmentSerializer, **ERRORS},
    examples=[
        OpenApiExample(
            "Cleared, clear vulnerability",
            request_only=True,
            value={
                "deconfliction": "cleared",
                "concern_type": "extreme_right_wing",
                "screening": "clear_vulnerability",
                "vulnerabilities": ["Isolation", "Online grooming"],
                "risk_summary": "Persistent interest in extremist material; no plans found.",
            },
        )
    ],
    tags=["referrals"],
)
class ReferralAssessment(IdempotentPost, CaseView):
    serializer_class = AssessmentInputSerializer

    def post(self, request, pk):
        referral = self.get_case()
        if not is_officer_for(request.user, referral):
            raise exceptions.PermissionDenied("Only a Prevent officer may record an assessment.")
        body = AssessmentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = services.assessment_record(
            referral_id=referral.pk, actor=request.user, data=dict(body.validated_data)
        )
        data = AssessmentSerializer(assessment).data
        return created(request, data, "referral-assessment-detail", referral.pk, assessment.pk)


@extend_schema(
    summary="Who viewed, exported or changed the case, and when",
    description=(
        "For the case's Prevent officer and Channel chair. Reading it is recorded in it too."
    ),
    responses={200: AccessLogSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
    tags=["referrals"],
)
class ReferralAccessLog(CaseView, generics.ListAPIView):
    serializer_class = AccessLogSerializer
    filter_backends = [Ordering]  # one fixed order: ?ordering answers 400

    def get_queryset(self):
        referral = self.get_full_case()
        services.referral_record_view(
            actor=signed_in(self.request), referral=referral, via="api_access_log"
        )
        return referral_access_log(referral, limit=None)
