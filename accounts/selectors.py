"""Reads of people and organisations, already scoped to the caller."""

from django.db.models import Prefetch, Q, QuerySet

from .models import LocalAuthority, Role, RoleGrant, User


def users_visible_to(user: User, *, role: str | None = None) -> QuerySet[User]:
    """People the caller may invite or allocate.

    Users of the caller's local authority, and the Prevent officers of its force area.
    A caller without an agency sees nobody.
    """
    if not user.is_authenticated or not user.agency_id:
        return User.objects.none()
    la = user.local_authority
    queryset = User.objects.filter(is_active=True).filter(
        Q(agency__local_authority_id=la.pk)
        | Q(
            agency__local_authority__police_force_id=la.police_force_id,
            role_grants__role=Role.PREVENT_OFFICER,
        )
    )
    if role:
        queryset = queryset.filter(role_grants__role=role)
    return (
        queryset.distinct()
        .select_related("agency")
        .prefetch_related(
            Prefetch("role_grants", queryset=RoleGrant.objects.only("user_id", "role"))
        )
        .order_by("last_name", "first_name", "username")
    )


def local_authorities_visible_to(user: User) -> QuerySet[LocalAuthority]:
    """Every local authority: their names are public and the referral form needs them."""
    if not user.is_authenticated:
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.select_related("police_force").order_by("name")
