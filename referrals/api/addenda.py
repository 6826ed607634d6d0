"""Information a referrer adds to a referral already sent (issue 15), through the API.

The page's rules (``referrals.views.addenda``): the case is found in the caller's scope or
answers 404; everyone who sees what was submitted (any access) may read the addenda, each
read audited on the case; only the referral's referrer may add one (``services.addendum_add``
says who and when), as multipart like every upload: the text and optionally a file, checked
like every attachment. The submitted answers never change.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.authentication import signed_in
from prevent_cms.api.fields import StrictCharField
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.responses import created

from .. import services
from ..models import Addendum
from ..selectors import referral_addenda
from .serializers import PlainText
from .views import CaseView


class AddendumSerializer(serializers.ModelSerializer):
    author = serializers.UUIDField(source="author_id", read_only=True)
    author_name = StrictCharField(source="author.display_name", read_only=True)
    attachment = serializers.SerializerMethodField(
        help_text="The file added with it, if any: its download URL (the case's Prevent "
        "officer, Channel chair or the referrer who added it may download it)."
    )

    class Meta:
        model = Addendum
        fields = ["id", "text", "author", "author_name", "created_at", "attachment"]

    def get_attachment(self, addendum: Addendum) -> str | None:
        if addendum.attachment_id is None:
            return None
        url = reverse(
            "api:referral-attachment", args=[addendum.referral_id, addendum.attachment_id]
        )
        return self.context["request"].build_absolute_uri(url)


class AddendumInputSerializer(serializers.Serializer):
    text = PlainText(
        max_length=5000,
        label_text="The information",
        required=True,
        allow_blank=False,
        help_text="What the referrer wants to add, up to 5,000 characters.",
    )
    file = serializers.FileField(
        required=False,
        help_text="Optional: PDF, image, Office document or text file, "
        "smaller than 10 MB, its type read from its content.",
        error_messages={"empty": "The selected file is empty"},
    )
    description = PlainText(max_length=200, label_text="The file's description")

    def validate_text(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError("Enter the information you want to add")
        return value


EXAMPLE = {
    "id": "5d3c2b1a-0f9e-4d8c-b7a6-95847362f1e0",
    "text": "Since I referred him he has started wearing a patch of the group's symbol.",
    "author": "2f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f",
    "author_name": "Robin Referrer",
    "created_at": "2026-12-03T09:30:00Z",
    "attachment": None,
}


@extend_schema_view(
    get=extend_schema(
        summary="Information added to the referral since it was sent, newest first",
        description="For everyone who may see what was submitted (its referrer and agency "
        "lead, a panel member while it is on their agenda, its Prevent officer and Channel "
        "chair). Every read is recorded in the case's access log.",
        responses={200: AddendumSerializer(many=True)},
        examples=[OpenApiExample("One addendum", response_only=True, value=EXAMPLE)],
        tags=["referrals"],
    ),
    post=extend_schema(
        summary="Add information to a referral already sent",
        description="Only the referral's referrer, once it has been sent (a draft is changed "
        "with `PATCH`; 409). `multipart/form-data` with `text`, and optionally a `file` "
        "and its `description` (the attachment checks: 400 for a refused "
        "type, 413 over 10 MB). What was submitted never changes. The assigned Prevent "
        "officer (before one is assigned, the force's officers) is told by an e-mail that "
        "holds only the reference and a link. Send `Idempotency-Key` to retry safely.",
        request={"multipart/form-data": AddendumInputSerializer},
        responses={201: AddendumSerializer},
        examples=[
            OpenApiExample(
                "New information",
                request_only=True,
                value={"text": EXAMPLE["text"]},
            ),
            OpenApiExample("Added", response_only=True, status_codes=["201"], value=EXAMPLE),
        ],
        tags=["referrals"],
    ),
)
class ReferralAddenda(IdempotentPost, CaseView, generics.ListAPIView):
    serializer_class = AddendumSerializer
    filter_backends: list = []
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Addendum.objects.none()
        referral = self.get_case()
        services.referral_record_view(
            actor=signed_in(self.request), referral=referral, via="api_addenda"
        )
        return referral_addenda(referral)

    def post(self, request, pk):
        referral = self.get_case()  # before the body is read: scope, then the file
        data = AddendumInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        addendum = services.addendum_add(
            referral_id=referral.pk,
            actor=request.user,
            text=data.validated_data["text"],
            upload=data.validated_data.get("file"),
            description=data.validated_data.get("description", ""),
        )
        body = AddendumSerializer(addendum, context={"request": request}).data
        return created(request, body, "referral-addendum", referral.pk, addendum.pk)


@extend_schema(
    summary="One piece of information added to the referral",
    description="Read as the list is: by everyone who may see what was submitted; audited.",
    responses=AddendumSerializer,
    examples=[OpenApiExample("One addendum", response_only=True, value=EXAMPLE)],
    tags=["referrals"],
)
class ReferralAddendumDetail(CaseView):
    def get(self, request, pk, addendum_pk):
        referral = self.get_case()
        addendum = get_object_or_404(referral_addenda(referral), pk=addendum_pk)
        services.referral_record_view(
            actor=signed_in(request), referral=referral, via="api_addendum"
        )
        return Response(AddendumSerializer(addendum, context={"request": request}).data)
