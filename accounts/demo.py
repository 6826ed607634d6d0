"""Demo organisations and people (DESIGN.md §6). Used only by ``manage.py seed_demo``."""

from django.db import transaction

from .models import Agency, LocalAuthority, PoliceForce, Role, Sector, User
from .services import user_access_set

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented demo password, never in production

FORCE = "Metropolitan Police Service"
AUTHORITIES = {"a": "Northbridge Borough Council", "b": "Southmere Borough Council"}

# (name suffix, sector) for each local authority's agencies.
AGENCIES = [
    ("Academy", Sector.EDUCATION),
    ("College", Sector.EDUCATION),
    ("Community Health NHS Trust", Sector.HEALTH),
    ("Council Children's Services", Sector.LOCAL_AUTHORITY),
    ("Council Prevent Team", Sector.LOCAL_AUTHORITY),
    ("Probation Delivery Unit", Sector.PROBATION),
    ("Youth and Faith Network", Sector.COMMUNITY),
    ("Police Prevent Team", Sector.POLICE),
]

# username: (authority key, agency suffix, first name, last name, job title, roles)
PEOPLE = {
    "referrer-a": ("a", "Academy", "Rhiannon", "Teacher", "Head of Year 9", [Role.REFERRER]),
    "referrer-b": ("b", "Academy", "Bola", "Teacher", "Class teacher", [Role.REFERRER]),
    "agency-lead-a": (
        "a",
        "Academy",
        "Aisha",
        "Lead",
        "Designated safeguarding lead",
        [Role.AGENCY_LEAD, Role.REFERRER],
    ),
    "officer-a": (
        "a",
        "Police Prevent Team",
        "Owen",
        "Officer",
        "Prevent officer",
        [Role.PREVENT_OFFICER],
    ),
    "chair-a": (
        "a",
        "Council Prevent Team",
        "Chloe",
        "Chair",
        "Channel panel chair",
        [Role.CHANNEL_CHAIR],
    ),
    "chair-b": (
        "b",
        "Council Prevent Team",
        "Callum",
        "Chair",
        "Channel panel chair",
        [Role.CHANNEL_CHAIR],
    ),
    "panel-member-a": (
        "a",
        "Council Children's Services",
        "Priya",
        "Member",
        "Social worker",
        [Role.PANEL_MEMBER],
    ),
    "provider-a": (
        "a",
        "Youth and Faith Network",
        "Idris",
        "Provider",
        "Intervention provider",
        [Role.INTERVENTION_PROVIDER],
    ),
    "borough-lead-a": (
        "a",
        "Council Prevent Team",
        "Beth",
        "Lead",
        "Prevent coordinator",
        [Role.BOROUGH_LEAD],
    ),
    "admin": (
        "a",
        "Council Prevent Team",
        "Ada",
        "Admin",
        "System administrator",
        [Role.SYSTEM_ADMIN],
    ),
}


@transaction.atomic
def seed_people() -> dict[str, User]:
    """Create (or find) the demo force, authorities, agencies and users. Idempotent."""
    force, _ = PoliceForce.objects.get_or_create(name=FORCE)
    agencies: dict[tuple[str, str], Agency] = {}
    for key, la_name in AUTHORITIES.items():
        la, _ = LocalAuthority.objects.get_or_create(name=la_name, defaults={"police_force": force})
        town = la_name.split()[0]
        for suffix, sector in AGENCIES:
            agencies[(key, suffix)], _ = Agency.objects.get_or_create(
                name=f"{town} {suffix}", local_authority=la, defaults={"sector": sector}
            )
    people: dict[str, User] = {}
    for username, (key, suffix, first, last, title, roles) in PEOPLE.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        user.first_name, user.last_name, user.job_title = first, last, title
        user.email = f"{username}@example.gov.uk"
        user.save()
        # Access through the service, like any administrator's change: audited, and the
        # system_admin-holds-no-other-role rule holds for the demo too.
        user_access_set(
            actor=None,
            user_id=user.pk,
            roles=roles,
            agency=agencies[(key, suffix)],
            is_staff=Role.SYSTEM_ADMIN in roles,
        )
        user.refresh_from_db()
        people[username] = user
    return people
