"""The partnership API (issue 21), by the conventions of docs/adr/0006.

Rows come from ``partnership.selectors`` (out of scope: 404); a person who keeps no
partnership records (anyone but a borough lead) gets 403 on each list and create; every
write goes through ``partnership.services`` and is audited there. Descriptions and examples
of each operation are in ``prevent_cms.openapi_examples``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import signed_in
from accounts.models import Agency, LocalAuthority
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.lists import ListConventions, StrictFilterSet, query_params
from prevent_cms.api.responses import created
from prevent_cms.audit import audit_record
from prevent_cms.errors import InvalidInput

from .. import selectors
from ..common import today
from ..models import (
    Action,
    Agreement,
    Board,
    Complaint,
    ComplaintChannel,
    ComplaintOutcome,
    ContactStatus,
    CtlpBriefing,
    DueDiligenceCheck,
    DueDiligenceOutcome,
    FundingRoute,
    MailingContact,
    MailingSend,
    Meeting,
    Organisation,
    OrganisationType,
    Plan,
    Project,
    Rag,
    RiskAssessment,
    SessionType,
    Workshop,
)
from ..services import agreements as agreement_services
from ..services import boards as board_services
from ..services import complaints as complaint_services
from ..services import mailing as mailing_services
from ..services import organisations as organisation_services
from ..services import risk as risk_services
from ..views.risk import ctlp_response
from . import serializers as s

TAGS = ["partnership"]


def _area(request):
    return selectors.partnership_area_for(signed_in(request))


class _Scoped(generics.GenericAPIView):
    """Rows of one visibility selector; the list answers 403 to those who keep none."""

    selector: Any = staticmethod(selectors.boards_visible_to)
    model: Any = Board

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return self.model.objects.none()
        return self.selector(self.request.user)

    def list(self, request, *args, **kwargs):
        _area(request)
        return super().list(request, *args, **kwargs)  # type: ignore[misc]


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS, request=s.BoardInputSerializer, responses={201: s.BoardSerializer}
    ),
)
class BoardListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    serializer_class = s.BoardRowSerializer
    ordering_fields = ("name", "created_at")
    ordering = ("name",)

    def create(self, request, *args, **kwargs):
        actor = signed_in(request)
        area = _area(request)
        body = s.BoardInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        ids = {str(i) for i in data.pop("local_authorities")} - {str(area.pk)}
        others = list(
            LocalAuthority.objects.filter(police_force_id=area.police_force_id, pk__in=ids)
        )
        if len(others) != len(ids):
            raise InvalidInput({"local_authorities": ["Name local authorities of your force"]})
        board = board_services.board_create(actor=actor, local_authorities=others, **data)
        answer = s.BoardSerializer(board, context={"request": request}).data
        return created(request, answer, "partnership-board-detail", board.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class BoardDetail(_Scoped, generics.RetrieveAPIView):
    serializer_class = s.BoardSerializer


@extend_schema(tags=TAGS, request=s.MemberInputSerializer, responses={201: s.MemberSerializer})
class BoardMembers(IdempotentPost, APIView):
    def post(self, request: Request, pk) -> Response:
        actor = signed_in(request)
        board = generics.get_object_or_404(selectors.boards_visible_to(actor), pk=pk)
        area = _area(request)
        body = s.MemberInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        agency_id = data.pop("agency")
        agency = None
        if agency_id:
            agency = Agency.objects.filter(
                pk=agency_id, local_authority__police_force_id=area.police_force_id
            ).first()
            if agency is None:
                raise InvalidInput({"agency": ["Select an agency of your police force area"]})
        member = board_services.board_member_add(
            actor=actor, board_id=board.pk, agency=agency, **data
        )
        answer = s.MemberSerializer(member).data
        return created(request, answer, "partnership-board-detail", board.pk)


@extend_schema(
    tags=TAGS,
    request={"multipart/form-data": s.TermsInputSerializer},
    responses={201: s.TermsSerializer},
)
class BoardTerms(IdempotentPost, APIView):
    parser_classes = [MultiPartParser]

    def post(self, request: Request, pk) -> Response:
        actor = signed_in(request)
        board = generics.get_object_or_404(selectors.boards_visible_to(actor), pk=pk)
        body = s.TermsInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        terms = board_services.terms_upload(
            actor=actor,
            board_id=board.pk,
            upload=body.validated_data["file"],
            approved_on=body.validated_data["approved_on"],
        )
        return created(request, s.TermsSerializer(terms).data, "partnership-board-detail", board.pk)


class MeetingFilter(StrictFilterSet):
    board = django_filters.UUIDFilter(field_name="board_id", help_text="Only this board's.")

    class Meta:
        model = Meeting
        fields = ["board"]


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS, request=s.MeetingInputSerializer, responses={201: s.MeetingSerializer}
    ),
)
class MeetingListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.meetings_visible_to)
    model = Meeting
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ("date", "created_at")
    ordering = ("-date",)

    def create(self, request, *args, **kwargs):
        actor = signed_in(request)
        _area(request)
        body = s.MeetingInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        board = selectors.boards_visible_to(actor).filter(pk=data.pop("board")).first()
        if board is None:
            raise InvalidInput({"board": ["Select a board of your local authority"]})
        meeting = board_services.meeting_schedule(actor=actor, board_id=board.pk, **data)
        answer = s.MeetingSerializer(meeting, context={"request": request}).data
        return created(request, answer, "partnership-meeting-detail", meeting.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class MeetingDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.meetings_visible_to)
    model = Meeting
    serializer_class = s.MeetingSerializer


@extend_schema(tags=TAGS, request=s.HoldInputSerializer, responses={200: s.MeetingSerializer})
class MeetingHold(APIView):
    def post(self, request: Request, pk) -> Response:
        actor = signed_in(request)
        meeting = generics.get_object_or_404(selectors.meetings_visible_to(actor), pk=pk)
        body = s.HoldInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = board_services.meeting_hold(
            actor=actor,
            meeting_id=meeting.pk,
            attended_ids=body.validated_data["attended"],
            minutes=body.validated_data["minutes"],
        )
        return Response(s.MeetingSerializer(meeting, context={"request": request}).data)


@extend_schema(tags=TAGS, request=None, responses={200: s.MeetingSerializer})
class MeetingSignOff(APIView):
    def post(self, request: Request, pk) -> Response:
        actor = signed_in(request)
        meeting = generics.get_object_or_404(selectors.meetings_visible_to(actor), pk=pk)
        meeting = board_services.meeting_sign_off(actor=actor, meeting_id=meeting.pk)
        return Response(s.MeetingSerializer(meeting, context={"request": request}).data)


class ActionFilter(StrictFilterSet):
    rag = django_filters.ChoiceFilter(choices=Rag.choices, help_text="Only this RAG status.")
    meeting = django_filters.UUIDFilter(field_name="meeting_id", help_text="Only this meeting's.")
    plan = django_filters.UUIDFilter(field_name="plan_id", help_text="Only this plan's.")

    class Meta:
        model = Action
        fields = ["rag", "meeting", "plan"]


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS, request=s.ActionInputSerializer, responses={201: s.ActionSerializer}
    ),
)
class ActionListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.actions_visible_to)
    model = Action
    serializer_class = s.ActionSerializer
    filterset_class = ActionFilter
    ordering_fields = ("due_date", "created_at")
    ordering = ("due_date",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("risks")

    def create(self, request, *args, **kwargs):
        actor = signed_in(request)
        _area(request)
        body = s.ActionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        meeting_id, plan_id, risk_ids = data.pop("meeting"), data.pop("plan"), data.pop("risks")
        try:
            action = board_services.action_create(
                actor=actor, data=data, meeting_id=meeting_id, plan_id=plan_id, risk_ids=risk_ids
            )
        except (Meeting.DoesNotExist, Plan.DoesNotExist) as error:
            field = "meeting" if isinstance(error, Meeting.DoesNotExist) else "plan"
            raise InvalidInput({field: [f"Select a {field} of your local authority"]}) from None
        answer = s.ActionSerializer(action, context={"request": request}).data
        return created(request, answer, "partnership-action-detail", action.pk)


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    patch=extend_schema(
        tags=TAGS, request=s.ActionPatchSerializer, responses={200: s.ActionSerializer}
    ),
)
class ActionDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.actions_visible_to)
    model = Action
    serializer_class = s.ActionSerializer

    def patch(self, request: Request, pk) -> Response:
        action = self.get_object()
        body = s.ActionPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        action = board_services.action_update(
            actor=signed_in(request), action_id=action.pk, data=dict(body.validated_data)
        )
        return Response(s.ActionSerializer(action, context={"request": request}).data)


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS,
        request=s.RiskAssessmentInputSerializer,
        responses={201: s.RiskAssessmentSerializer},
    ),
)
class RiskAssessmentListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.risk_assessments_visible_to)
    model = RiskAssessment
    serializer_class = s.RiskAssessmentSerializer
    ordering_fields = ("version", "assessed_on")
    ordering = ("-version",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("risks")

    def create(self, request, *args, **kwargs):
        _area(request)
        body = s.RiskAssessmentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = risk_services.risk_assessment_create(
            actor=signed_in(request), **body.validated_data
        )
        answer = s.RiskAssessmentSerializer(assessment, context={"request": request}).data
        return created(request, answer, "partnership-risk-assessment-detail", assessment.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class RiskAssessmentDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.risk_assessments_visible_to)
    model = RiskAssessment
    serializer_class = s.RiskAssessmentSerializer


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS,
        request={"multipart/form-data": s.CtlpInputSerializer},
        responses={201: s.CtlpSerializer},
    ),
)
class CtlpListCreate(IdempotentPost, generics.ListCreateAPIView):
    """Only the briefings naming the caller: a borough lead not named sees none."""

    serializer_class = s.CtlpSerializer
    parser_classes = [MultiPartParser]
    ordering_fields = ("received_on",)
    ordering = ("-received_on",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return CtlpBriefing.objects.none()
        return selectors.ctlp_briefings_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        _area(request)
        body = s.CtlpInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        briefing = risk_services.ctlp_briefing_upload(
            actor=signed_in(request),
            title=data["title"],
            received_on=data["received_on"],
            upload=data["file"],
            reader_ids=data["readers"],
        )
        answer = s.CtlpSerializer(briefing, context={"request": request}).data
        return created(request, answer, "partnership-ctlp-document", briefing.pk)


@extend_schema(tags=TAGS, responses={(200, "application/pdf"): OpenApiTypes.BINARY})
class CtlpDocument(APIView):
    def get(self, request: Request, pk):
        try:
            return ctlp_response(user=signed_in(request), pk=pk, via="api")
        except CtlpBriefing.DoesNotExist:
            raise NotFound("Not found.") from None


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(tags=TAGS, request=s.PlanInputSerializer, responses={201: s.PlanSerializer}),
)
class PlanListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.plans_visible_to)
    model = Plan
    serializer_class = s.PlanSerializer
    ordering_fields = ("starts_on", "created_at")
    ordering = ("-starts_on",)

    def create(self, request, *args, **kwargs):
        _area(request)
        body = s.PlanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = risk_services.plan_create(actor=signed_in(request), **body.validated_data)
        answer = s.PlanSerializer(plan, context={"request": request}).data
        return created(request, answer, "partnership-plan-detail", plan.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class PlanDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.plans_visible_to)
    model = Plan
    serializer_class = s.PlanSerializer


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "due_for_review",
                bool,
                description="Only agreements not ended whose review date has come.",
            )
        ],
    ),
    post=extend_schema(
        tags=TAGS, request=s.AgreementInputSerializer, responses={201: s.AgreementSerializer}
    ),
)
class AgreementListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.agreements_visible_to)
    model = Agreement
    serializer_class = s.AgreementSerializer
    ordering_fields = ("review_on", "title", "created_at")
    ordering = ("review_on",)

    def get_queryset(self):
        rows = super().get_queryset().prefetch_related("parties")
        if getattr(self, "swagger_fake_view", False):
            return rows
        if query_params(s.AgreementQuerySerializer, self.request).get("due_for_review"):
            rows = rows.filter(
                pk__in=selectors.agreements_due_for_review(self.request.user, on=today())
            )
        return rows

    def create(self, request, *args, **kwargs):
        _area(request)
        body = s.AgreementInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        parties = data.pop("parties")
        agreement = agreement_services.agreement_create(
            actor=signed_in(request), data=data, party_ids=parties
        )
        answer = s.AgreementSerializer(agreement, context={"request": request}).data
        return created(request, answer, "partnership-agreement-detail", agreement.pk)


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    patch=extend_schema(
        tags=TAGS, request=s.AgreementPatchSerializer, responses={200: s.AgreementSerializer}
    ),
)
class AgreementDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.agreements_visible_to)
    model = Agreement
    serializer_class = s.AgreementSerializer

    def patch(self, request: Request, pk) -> Response:
        agreement = self.get_object()
        body = s.AgreementPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        parties = data.pop("parties", None)
        agreement = agreement_services.agreement_update(
            actor=signed_in(request), agreement_id=agreement.pk, data=data, party_ids=parties
        )
        return Response(s.AgreementSerializer(agreement, context={"request": request}).data)


@extend_schema(
    tags=TAGS,
    parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE, description="Disclosed on or after."),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Disclosed on or before."),
        OpenApiParameter("agreement", OpenApiTypes.UUID, description="Only this agreement's."),
    ],
    responses={200: s.DisclosureCountSerializer(many=True)},
)
class DisclosureLedger(ListConventions, APIView):
    def get(self, request: Request) -> Response:
        actor = signed_in(request)
        _area(request)
        query = query_params(s.LedgerQuerySerializer, request)
        agreement_id = query.get("agreement")
        if agreement_id:
            generics.get_object_or_404(selectors.agreements_visible_to(actor), pk=agreement_id)
        rows = selectors.disclosure_counts(
            actor, start=query.get("from"), end=query.get("to"), agreement_id=agreement_id
        )
        audit_record(actor=actor, action="partnership.ledger.viewed", obj=actor.local_authority)
        return self.page_response(
            rows, lambda page: s.DisclosureCountSerializer(page, many=True).data
        )


# --- Organisations and projects, training offer and outreach -------------------------------


class OrganisationFilter(StrictFilterSet):
    organisation_type = django_filters.ChoiceFilter(
        choices=OrganisationType.choices, help_text="Only organisations of this type."
    )

    class Meta:
        model = Organisation
        fields = ["organisation_type"]


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS,
        request=s.OrganisationInputSerializer,
        responses={201: s.OrganisationSerializer},
    ),
)
class OrganisationListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.organisations_visible_to)
    model = Organisation
    serializer_class = s.OrganisationRowSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ("name", "engaged_on", "created_at")
    ordering = ("name",)

    def create(self, request, *args, **kwargs):
        _area(request)
        body = s.OrganisationInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation = organisation_services.organisation_create(
            actor=signed_in(request), **body.validated_data
        )
        answer = s.OrganisationSerializer(organisation, context={"request": request}).data
        return created(request, answer, "partnership-organisation-detail", organisation.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class OrganisationDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.organisations_visible_to)
    model = Organisation
    serializer_class = s.OrganisationSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("gap_analyses", "support")


@extend_schema(
    tags=TAGS, request=s.GapAnalysisInputSerializer, responses={201: s.GapAnalysisSerializer}
)
class OrganisationGapAnalyses(IdempotentPost, APIView):
    def post(self, request: Request, pk) -> Response:
        actor = signed_in(request)
        organisation = generics.get_object_or_404(selectors.organisations_visible_to(actor), pk=pk)
        body = s.GapAnalysisInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        analysis = organisation_services.gap_analysis_record(
            actor=actor, organisation_id=organisation.pk, **body.validated_data
        )
        answer = s.GapAnalysisSerializer(analysis).data
        return created(request, answer, "partnership-organisation-detail", organisation.pk)


@extend_schema(tags=TAGS, request=s.SupportInputSerializer, responses={201: s.SupportSerializer})
class OrganisationSupport(IdempotentPost, APIView):
    def post(self, request: Request, pk) -> Response:
        actor = signed_in(request)
        organisation = generics.get_object_or_404(selectors.organisations_visible_to(actor), pk=pk)
        body = s.SupportInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        support = organisation_services.support_record(
            actor=actor, organisation_id=organisation.pk, **body.validated_data
        )
        answer = s.SupportSerializer(support).data
        return created(request, answer, "partnership-organisation-detail", organisation.pk)


def _own_organisation(actor, organisation_id) -> Organisation:
    """An organisation of the caller's register named in a body (else 400 on the field)."""
    organisation = selectors.organisations_visible_to(actor).filter(pk=organisation_id).first()
    if organisation is None:
        raise InvalidInput({"organisation": ["Select an organisation of your register"]})
    return organisation


class DueDiligenceFilter(StrictFilterSet):
    organisation = django_filters.UUIDFilter(
        field_name="organisation_id", help_text="Only this organisation's."
    )
    route = django_filters.ChoiceFilter(choices=FundingRoute.choices, help_text="Only this route.")
    outcome = django_filters.ChoiceFilter(
        choices=DueDiligenceOutcome.choices, help_text="Only this outcome."
    )

    class Meta:
        model = DueDiligenceCheck
        fields = ["organisation", "route", "outcome"]


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS, request=s.DueDiligenceInputSerializer, responses={201: s.DueDiligenceSerializer}
    ),
)
class DueDiligenceListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.due_diligence_visible_to)
    model = DueDiligenceCheck
    serializer_class = s.DueDiligenceSerializer
    filterset_class = DueDiligenceFilter
    ordering_fields = ("checked_on", "created_at")
    ordering = ("-checked_on",)

    def create(self, request, *args, **kwargs):
        actor = signed_in(request)
        _area(request)
        body = s.DueDiligenceInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = _own_organisation(actor, data.pop("organisation"))
        check = organisation_services.due_diligence_record(
            actor=actor, organisation_id=organisation.pk, **data
        )
        answer = s.DueDiligenceSerializer(check, context={"request": request}).data
        return created(request, answer, "partnership-due-diligence-detail", check.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class DueDiligenceDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.due_diligence_visible_to)
    model = DueDiligenceCheck
    serializer_class = s.DueDiligenceSerializer


class ProjectFilter(StrictFilterSet):
    organisation = django_filters.UUIDFilter(
        field_name="organisation_id", help_text="Only this organisation's."
    )

    class Meta:
        model = Project
        fields = ["organisation"]


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS, request=s.ProjectInputSerializer, responses={201: s.ProjectSerializer}
    ),
)
class ProjectListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.projects_visible_to)
    model = Project
    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ("starts_on", "title", "created_at")
    ordering = ("-starts_on",)

    def create(self, request, *args, **kwargs):
        actor = signed_in(request)
        _area(request)
        body = s.ProjectInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = _own_organisation(actor, data.pop("organisation"))
        project = organisation_services.project_create(
            actor=actor, organisation_id=organisation.pk, **data
        )
        answer = s.ProjectSerializer(project, context={"request": request}).data
        return created(request, answer, "partnership-project-detail", project.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class ProjectDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.projects_visible_to)
    model = Project
    serializer_class = s.ProjectSerializer


class WorkshopFilter(StrictFilterSet):
    session_type = django_filters.ChoiceFilter(
        choices=SessionType.choices, help_text="Only workshops, or only briefings."
    )

    class Meta:
        model = Workshop
        fields = ["session_type"]


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS, request=s.WorkshopInputSerializer, responses={201: s.WorkshopSerializer}
    ),
)
class WorkshopListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.workshops_visible_to)
    model = Workshop
    serializer_class = s.WorkshopSerializer
    filterset_class = WorkshopFilter
    ordering_fields = ("date", "created_at")
    ordering = ("-date",)

    def create(self, request, *args, **kwargs):
        _area(request)
        body = s.WorkshopInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workshop = organisation_services.workshop_record(
            actor=signed_in(request), **body.validated_data
        )
        answer = s.WorkshopSerializer(workshop, context={"request": request}).data
        return created(request, answer, "partnership-workshop-detail", workshop.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class WorkshopDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.workshops_visible_to)
    model = Workshop
    serializer_class = s.WorkshopSerializer


# --- Complaints and the mailing list -------------------------------------------------------


class ComplaintFilter(StrictFilterSet):
    open = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", help_text="Only open (or closed) ones."
    )
    channel = django_filters.ChoiceFilter(
        choices=ComplaintChannel.choices, help_text="Only those received this way."
    )
    outcome = django_filters.ChoiceFilter(
        choices=ComplaintOutcome.choices, help_text="Only those with this outcome."
    )

    class Meta:
        model = Complaint
        fields = ["open", "channel", "outcome"]


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS, request=s.ComplaintInputSerializer, responses={201: s.ComplaintSerializer}
    ),
)
class ComplaintListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.complaints_visible_to)
    model = Complaint
    serializer_class = s.ComplaintSerializer
    filterset_class = ComplaintFilter
    ordering_fields = ("received_on", "created_at")
    ordering = ("-received_on",)

    def create(self, request, *args, **kwargs):
        _area(request)
        body = s.ComplaintInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = complaint_services.complaint_create(
            actor=signed_in(request), data=dict(body.validated_data)
        )
        answer = s.ComplaintSerializer(complaint, context={"request": request}).data
        return created(request, answer, "partnership-complaint-detail", complaint.pk)


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    patch=extend_schema(
        tags=TAGS, request=s.ComplaintPatchSerializer, responses={200: s.ComplaintSerializer}
    ),
)
class ComplaintDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.complaints_visible_to)
    model = Complaint
    serializer_class = s.ComplaintSerializer

    def patch(self, request: Request, pk) -> Response:
        complaint = self.get_object()
        body = s.ComplaintPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = complaint_services.complaint_update(
            actor=signed_in(request), complaint_id=complaint.pk, data=dict(body.validated_data)
        )
        return Response(s.ComplaintSerializer(complaint, context={"request": request}).data)


class MailingContactFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(
        choices=ContactStatus.choices, help_text="Only contacts with this status."
    )

    class Meta:
        model = MailingContact
        fields = ["status"]


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(
        tags=TAGS,
        request=s.MailingContactInputSerializer,
        responses={201: s.MailingContactSerializer},
    ),
)
class MailingContactListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.mailing_contacts_visible_to)
    model = MailingContact
    serializer_class = s.MailingContactSerializer
    filterset_class = MailingContactFilter
    ordering_fields = ("email", "created_at")
    ordering = ("email",)

    def create(self, request, *args, **kwargs):
        _area(request)
        body = s.MailingContactInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contact = mailing_services.mailing_contact_add(
            actor=signed_in(request), email=body.validated_data["email"]
        )
        answer = s.MailingContactSerializer(contact, context={"request": request}).data
        return created(request, answer, "partnership-mailing-contact-detail", contact.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class MailingContactDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.mailing_contacts_visible_to)
    model = MailingContact
    serializer_class = s.MailingContactSerializer


@extend_schema(tags=TAGS, request=None, responses={200: s.MailingContactSerializer})
class MailingContactRemove(APIView):
    def post(self, request: Request, pk) -> Response:
        actor = signed_in(request)
        contact = generics.get_object_or_404(selectors.mailing_contacts_visible_to(actor), pk=pk)
        contact = mailing_services.mailing_contact_remove(actor=actor, contact_id=contact.pk)
        return Response(s.MailingContactSerializer(contact, context={"request": request}).data)


@extend_schema_view(
    get=extend_schema(tags=TAGS),
    post=extend_schema(tags=TAGS, request=None, responses={201: s.MailingSendSerializer}),
)
class MailingSendListCreate(IdempotentPost, _Scoped, generics.ListCreateAPIView):
    selector = staticmethod(selectors.mailing_sends_visible_to)
    model = MailingSend
    serializer_class = s.MailingSendSerializer
    ordering_fields = ("sent_at",)
    ordering = ("-sent_at",)

    def create(self, request, *args, **kwargs):
        _area(request)
        send = mailing_services.mailing_list_send(actor=signed_in(request))
        answer = s.MailingSendSerializer(send, context={"request": request}).data
        return created(request, answer, "partnership-mailing-send-detail", send.pk)


@extend_schema_view(get=extend_schema(tags=TAGS))
class MailingSendDetail(_Scoped, generics.RetrieveAPIView):
    selector = staticmethod(selectors.mailing_sends_visible_to)
    model = MailingSend
    serializer_class = s.MailingSendSerializer
