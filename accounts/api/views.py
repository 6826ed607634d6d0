from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from prevent_cms.api.lists import query_params
from prevent_cms.api.responses import created

from ..models import LocalAuthority, Role, User
from ..selectors import local_authorities_visible_to, users_visible_to
from ..services import token_expires_at, token_issue, token_renew, token_revoke


class UserSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    agency = serializers.CharField(source="agency.name", default=None)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "agency", "roles"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(grant.role for grant in user.role_grants.all())


class UserFilterSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)


@extend_schema_view(
    get=extend_schema(
        summary="People the caller may invite to a panel or allocate to an intervention",
        parameters=[OpenApiParameter("role", enum=Role.values)],
        tags=["people"],
    )
)
class UserList(ListAPIView):
    serializer_class = UserSerializer
    ordering_fields = ("username", "last_name", "first_name")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return User.objects.none()
        role = query_params(UserFilterSerializer, self.request).get("role") or None
        return users_visible_to(self.request.user, role=role)


class LocalAuthoritySerializer(serializers.ModelSerializer):
    police_force = serializers.CharField(source="police_force.name")

    class Meta:
        model = LocalAuthority
        fields = ["id", "name", "police_force"]


@extend_schema_view(get=extend_schema(summary="Local authorities", tags=["people"]))
class LocalAuthorityList(ListAPIView):
    serializer_class = LocalAuthoritySerializer
    ordering_fields = ("name",)

    def get_queryset(self):
        return local_authorities_visible_to(self.request.user)


class TokenSerializer(serializers.Serializer):
    key = serializers.CharField(
        read_only=True, help_text="Send as `Authorization: Token <key>`. Shown only once."
    )
    created = serializers.DateTimeField(read_only=True)
    expires = serializers.DateTimeField(read_only=True)


class TokenStateSerializer(serializers.Serializer):
    created = serializers.DateTimeField(read_only=True)
    expires = serializers.DateTimeField(read_only=True)


def _token_body(token: Token, *, with_key: bool) -> dict:
    body = {"created": token.created, "expires": token_expires_at(token=token)}
    return {"key": token.key, **body} if with_key else body


def _no_store(response: Response) -> Response:
    """A key is a password: no cache, proxy or browser history keeps it."""
    response["Cache-Control"] = "no-store"
    return response


class ApiTokenView(APIView):
    """The caller's own API token: see when it expires, issue a new one, or revoke it."""

    @extend_schema(
        summary="When the caller's API token was issued and when it expires",
        responses={200: TokenStateSerializer},
        tags=["auth"],
    )
    def get(self, request):
        token = Token.objects.filter(user=request.user).first()
        if token is None:
            raise NotFound("You have no API token.")
        return _no_store(Response(TokenStateSerializer(_token_body(token, with_key=False)).data))

    @extend_schema(
        summary="Issue the caller an API token (replacing any other), from a signed-in session",
        request=None,
        responses={201: TokenSerializer},
        tags=["auth"],
    )
    def post(self, request):
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            raise PermissionDenied(
                "Issue a token from a signed-in session. Renew this token with "
                "POST /api/v1/auth/token/renew/ before it expires."
            )
        token = token_issue(actor=request.user)
        body = TokenSerializer(_token_body(token, with_key=True)).data
        # ``GET`` on the same URL answers the token's state (never its key again).
        return _no_store(created(request, body, "auth-token"))

    @extend_schema(
        summary="Revoke the caller's API token",
        request=None,
        responses={204: None},
        tags=["auth"],
    )
    def delete(self, request):
        if not token_revoke(actor=request.user, user_id=request.user.pk):
            raise NotFound("You have no API token.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenRenew(APIView):
    """Swap the caller's unexpired token for a new key with a fresh lifetime."""

    @extend_schema(
        summary="Renew the caller's API token: a new key, valid for the full lifetime again",
        request=None,
        responses={200: TokenSerializer},
        tags=["auth"],
    )
    def post(self, request):
        try:
            token = token_renew(actor=request.user)
        except Token.DoesNotExist:
            raise NotFound(
                "You have no API token that can be renewed. Issue a new one with "
                "POST /api/v1/auth/token/ from a signed-in session."
            ) from None
        return _no_store(Response(TokenSerializer(_token_body(token, with_key=True)).data))
