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
    "prevent-lead-a": (
        "a",
        "Council Prevent Team",
        "Layla",
        "Lead",
        "Prevent lead",
        [Role.PREVENT_LEAD],
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


# Who to call in each demo area (issue 15): fictional numbers in Ofcom's drama ranges
# (01632 960xxx, 020 7946 0xxx) and example.gov.uk addresses, never a real line.
FORCE_CONTACTS = {
    "prevent_email": "prevent.referrals@met-police.example.gov.uk",
    "prevent_phone": "020 7946 0100",
    "advice_line": "020 7946 0101",
    "out_of_hours": "Out of hours, call 101, or 999 if anyone is in danger",
}
AREA_CONTACTS = {
    "a": {
        "prevent_email": "prevent@northbridge.example.gov.uk",
        "prevent_phone": "01632 960 100",
        "advice_line": "01632 960 101",
        "out_of_hours": "Emergency duty team: 01632 960 199 (evenings and weekends)",
        "mash_email": "mash@northbridge.example.gov.uk",
    },
    "b": {
        "prevent_email": "prevent@southmere.example.gov.uk",
        "prevent_phone": "01632 960 200",
        "advice_line": "01632 960 201",
        "out_of_hours": "Emergency duty team: 01632 960 299 (evenings and weekends)",
        "mash_email": "",
    },
}


@transaction.atomic
def seed_people() -> dict[str, User]:
    """Create (or find) the demo force, authorities, agencies and users. Idempotent."""
    force, _ = PoliceForce.objects.update_or_create(name=FORCE, defaults=FORCE_CONTACTS)
    agencies: dict[tuple[str, str], Agency] = {}
    for key, la_name in AUTHORITIES.items():
        la, _ = LocalAuthority.objects.update_or_create(
            name=la_name, defaults={"police_force": force, **AREA_CONTACTS[key]}
        )
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
