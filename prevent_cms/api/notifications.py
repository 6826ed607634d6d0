"""The caller's own notifications and delivery choices (issue 17)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import signed_in

from ..models import Notification
from ..notifications import (
    CHOOSABLE,
    MANDATORY,
    Delivery,
    Kind,
    notification_mark_read,
    notification_preferences_for,
    notification_preferences_set,
    notifications_visible_to,
)


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "reference", "url", "created_at", "read", "read_at"]

    def get_read(self, row: Notification) -> bool:
        return row.read_at is not None

    def get_url(self, row: Notification) -> str | None:
        """The page where the work is done, absolute; None when there is none."""
        return self.context["request"].build_absolute_uri(row.path) if row.path else None


@extend_schema(
    summary="Your notifications",
    description=(
        "Everything the service told you, newest first: each e-mail it sent you is here too. "
        "Content-free like the e-mail: a kind, a case reference or a panel date, and a link."
    ),
    tags=["notifications"],
)
class NotificationList(generics.ListAPIView):
    serializer_class = NotificationSerializer
    ordering_fields = ("created_at",)

    def get_queryset(self):
        return notifications_visible_to(self.request.user)


@extend_schema(
    summary="Mark one of your notifications read",
    description="Marking it again changes nothing. Someone else's notification answers 404.",
    request=None,
    responses={200: NotificationSerializer},
    tags=["notifications"],
)
class NotificationRead(APIView):
    def post(self, request, pk):
        row = notification_mark_read(notification_id=pk, actor=signed_in(request))
        return Response(NotificationSerializer(row, context={"request": request}).data)


PREFERENCES = inline_serializer(
    "NotificationPreferences",
    {kind: serializers.ChoiceField(choices=Delivery.choices, required=False) for kind in CHOOSABLE},
)
PREFERENCE_EXAMPLE = OpenApiExample(
    "Pack ready in the daily digest, reminders in the app only",
    value={Kind.PACK_READY.value: "digest", Kind.CHANNEL_REMINDER.value: "in_app"},
    request_only=True,
)


@extend_schema_field(
    {
        "type": "string",
        "enum": [Delivery.EMAIL.value],
        "description": "Always e-mailed straight away: no other choice is taken.",
    }
)
class AlwaysEmail(serializers.ChoiceField):
    """A kind that cannot be moved off immediate e-mail: the schema offers `email` only, as
    the server takes only that (schemathesis sent `in_app`, valid by the old schema, 400)."""

    def __init__(self, **kwargs):
        super().__init__(choices=[Delivery.EMAIL], **kwargs)


@extend_schema_serializer(component_name="NotificationChoices")
class PreferencesInput(serializers.Serializer):
    """Any of the kinds, each with a delivery; kinds not named keep their choice."""

    # The fields are the schema's: every kind, the mandatory ones `email` only, and no other
    # key (``PreferencesInputSchema``), so every body the schema allows is taken.
    def get_fields(self):
        return {
            kind: AlwaysEmail(required=False)
            if kind in MANDATORY
            else serializers.ChoiceField(choices=Delivery.choices, required=False)
            for kind in CHOOSABLE
        }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        errors = {}
        for kind, delivery in data.items():
            if kind not in CHOOSABLE:
                errors[kind] = ["There is no such kind of notification."]
            elif not isinstance(delivery, str) or delivery not in Delivery.values:
                errors[kind] = [f"Choose one of: {', '.join(Delivery.values)}."]
        if errors:
            raise serializers.ValidationError(errors)
        return dict(data)


class PreferencesInputSchema(OpenApiSerializerExtension):
    """The choices as a closed object: a key that names no kind answers 400, so the schema
    says no other key is allowed (DRF serializers leave ``additionalProperties`` open)."""

    target_class = PreferencesInput

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}


class NotificationPreferences(APIView):
    """How each kind of notification reaches you: `email` (straight away), `digest` (one
    e-mail a day) or `in_app` (no e-mail). The clock-breach and urgent-referral kinds are
    always `email`; asking otherwise answers 400."""

    @extend_schema(
        summary="Your notification delivery choices", responses=PREFERENCES, tags=["notifications"]
    )
    def get(self, request):
        return Response(notification_preferences_for(signed_in(request)))

    @extend_schema(
        summary="Change your notification delivery choices",
        request=PreferencesInput,
        responses=PREFERENCES,
        examples=[PREFERENCE_EXAMPLE],
        tags=["notifications"],
    )
    def put(self, request):
        body = PreferencesInput(data=request.data)
        body.is_valid(raise_exception=True)
        saved = notification_preferences_set(actor=signed_in(request), choices=body.validated_data)
        return Response(saved)
