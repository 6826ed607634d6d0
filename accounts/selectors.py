"""Reads of people and organisations, already scoped to the caller."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db.models import OuterRef, Prefetch, Q, QuerySet

from .models import (
    ANTI_TERRORIST_HOTLINE,
    EMERGENCY_NUMBER,
    ROLE_CODES,
    LocalAuthority,
    PoliceForce,
    Role,
    RoleGrant,
    User,
)

# The roles a Channel chair invites to a panel or allocates support to, within its authority.
CHAIR_INVITES = (
    Role.CHANNEL_CHAIR,
    Role.PANEL_MEMBER,
    Role.INTERVENTION_PROVIDER,
    Role.PREVENT_OFFICER,
)


def users_signing_in(queryset: QuerySet | None = None, *, user_path: str = "") -> QuerySet:
    """Users (or ``queryset``'s rows, whose user is at ``user_path``) with what every request
    reads of them: agency and local authority joined, role codes in the same query.

    The session backend and the token authentication load the user through this: the scope
    rules read all of it on every request, and each was a query of its own (the roles' was one
    round trip on every page and API call). Role codes ride along as an array on PostgreSQL;
    another database (make run's SQLite) reads them on first use, as before.
    """
    queryset = User.objects.all() if queryset is None else queryset
    prefix = f"{user_path}__" if user_path else ""
    queryset = queryset.select_related(f"{prefix}agency__local_authority")
    if connections[queryset.db].vendor != "postgresql":
        return queryset
    from django.contrib.postgres.expressions import ArraySubquery

    user_id = OuterRef(f"{user_path}_id" if user_path else "pk")
    codes = RoleGrant.objects.filter(user_id=user_id).values("role")
    return queryset.annotate(**{ROLE_CODES: ArraySubquery(codes)})


def user_with_role_codes(user: User, codes: list[str] | None) -> User:
    """``user`` holding the role codes read with it (``users_signing_in``), if any were."""
    if codes is not None:
        user.__dict__[ROLE_CODES] = codes
    return user


def users_visible_to(user: User | AnonymousUser, *, role: str | None = None) -> QuerySet[User]:
    """People the caller may invite or allocate: each role only the people its work needs.

    A list of colleagues' usernames is a list of accounts to lock out, so nobody sees more
    than their work needs (issue 13): a Channel chair sees the chairs, panel members,
    intervention providers and Prevent officers of its local authority and the Prevent
    officers of its force (whom it invites to panels and allocates support to); a Prevent
    officer sees the force's Prevent officers; everyone else sees only themselves. Inactive
    people are never listed. A caller without an agency sees nobody. The panel services
    check invitations and allocations against this same rule.
    """
    if not user.is_authenticated or not user.agency_id:
        return User.objects.none()
    la = user.local_authority
    if la is None:
        return User.objects.none()
    force_officers = Q(
        agency__local_authority__police_force_id=la.police_force_id,
        role_grants__role=Role.PREVENT_OFFICER,
    )
    rule = Q(pk=user.pk)
    if user.has_role(Role.CHANNEL_CHAIR):
        rule |= Q(agency__local_authority_id=la.pk, role_grants__role__in=CHAIR_INVITES)
        rule |= force_officers
    if user.has_role(Role.PREVENT_OFFICER):
        rule |= force_officers
    queryset = User.objects.filter(is_active=True).filter(rule)
    if role:
        queryset = queryset.filter(pk__in=RoleGrant.objects.filter(role=role).values("user_id"))
    return (
        queryset.distinct()
        .select_related("agency")
        .prefetch_related(
            Prefetch("role_grants", queryset=RoleGrant.objects.only("user_id", "role"))
        )
        .order_by("last_name", "first_name", "username")
    )


def local_authorities_visible_to(user: User | AnonymousUser) -> QuerySet[LocalAuthority]:
    """Every local authority: their names are public and the referral form needs them."""
    if not user.is_authenticated:
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.select_related("police_force").order_by("name")


@dataclass(frozen=True)
class AreaContacts:
    """Who to call about a Prevent concern in one local authority (issue 15): its Prevent
    team, its police force's Prevent team, and the numbers that are the same everywhere."""

    local_authority: LocalAuthority
    police_force: PoliceForce
    emergency: str = EMERGENCY_NUMBER
    hotline: str = ANTI_TERRORIST_HOTLINE


def area_contacts_for(local_authority: LocalAuthority | None) -> AreaContacts | None:
    """The contacts the start, 999 and confirmation pages show for the chosen area (public
    phone numbers and addresses of teams, no one's personal details). None: no area."""
    if local_authority is None:
        return None
    return AreaContacts(local_authority=local_authority, police_force=local_authority.police_force)
