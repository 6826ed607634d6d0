from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from ..models import LocalAuthority, Role, User
from ..selectors import local_authorities_visible_to, users_visible_to


class UserSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    agency = serializers.CharField(source="agency.name", default=None)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "agency", "roles"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(grant.role for grant in user.role_grants.all())


@extend_schema_view(
    get=extend_schema(
        summary="People the caller may invite to a panel or allocate to an intervention",
        parameters=[OpenApiParameter("role", enum=Role.values)],
        tags=["people"],
    )
)
class UserList(ListAPIView):
    serializer_class = UserSerializer

    def get_queryset(self):
        role = self.request.query_params.get("role") or None
        if role and role not in Role.values:
            return User.objects.none()
        return users_visible_to(self.request.user, role=role)


class LocalAuthoritySerializer(serializers.ModelSerializer):
    police_force = serializers.CharField(source="police_force.name")

    class Meta:
        model = LocalAuthority
        fields = ["id", "name", "police_force"]


@extend_schema_view(get=extend_schema(summary="Local authorities", tags=["people"]))
class LocalAuthorityList(ListAPIView):
    serializer_class = LocalAuthoritySerializer
    pagination_class = None

    def get_queryset(self):
        return local_authorities_visible_to(self.request.user)
