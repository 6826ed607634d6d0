"""People and organisations: police force areas, local authorities, agencies, users, roles."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """Sector of an agency, using the Home Office statistics codes (DOMAIN.md §Statistics)."""

    EDUCATION = "education", _("Education")
    POLICE = "police", _("Police")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    HEALTH = "health", _("Health")
    COMMUNITY = "community", _("Community, voluntary or faith")
    FRIENDS_AND_FAMILY = "friends_and_family", _("Friends and family")
    PRISONS = "prisons", _("Prisons")
    PROBATION = "probation", _("Probation")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    """The roles of DESIGN.md §3. A user may hold several."""

    REFERRER = "referrer", _("Referrer")
    AGENCY_LEAD = "agency_lead", _("Agency lead (designated safeguarding lead)")
    PREVENT_OFFICER = "prevent_officer", _("Prevent officer")
    CHANNEL_CHAIR = "channel_chair", _("Channel panel chair")
    PANEL_MEMBER = "panel_member", _("Channel panel member")
    INTERVENTION_PROVIDER = "intervention_provider", _("Intervention provider")
    BOROUGH_LEAD = "borough_lead", _("Borough lead (Prevent coordinator)")
    PREVENT_LEAD = "prevent_lead", _("Prevent lead (local authority)")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Always the same, wherever the person lives: shown beside each area's own numbers.
EMERGENCY_NUMBER = "999"
ANTI_TERRORIST_HOTLINE = "0800 789 321"


class AreaContacts(models.Model):
    """Who to call or write to about a Prevent concern in an area: data, not template text,
    so each council and force shows its own numbers (issue 15). Blank: not configured."""

    prevent_email = models.EmailField(_("Prevent team e-mail"), blank=True)
    prevent_phone = models.CharField(_("Prevent team phone"), max_length=40, blank=True)
    advice_line = models.CharField(_("advice line"), max_length=40, blank=True)
    out_of_hours = models.CharField(_("out of hours"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def has_contacts(self) -> bool:
        return bool(self.prevent_email or self.prevent_phone or self.advice_line)


class PoliceForce(AreaContacts):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("police force area")

    def __str__(self) -> str:
        return self.name


class LocalAuthority(AreaContacts):
    """A borough or council. Each runs one Channel panel."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    police_force = models.ForeignKey(
        PoliceForce, on_delete=models.PROTECT, related_name="local_authorities"
    )
    # Where referrals of under-18s are copied as well, where the council asks for it.
    mash_email = models.EmailField(_("MASH or children's front door e-mail"), blank=True)
    # Whose the MASH copy is, when the MASH is a partner's rather than the council's own
    # children's front door: the party of the data-sharing agreement that allows the copy
    # (issue 21). Blank: the council's own service, nothing leaves it.
    mash_agency = models.ForeignKey(
        "Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency the MASH copy is shared with"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("local authority")
        verbose_name_plural = _("local authorities")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=160)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="agencies"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "local_authority"], name="agency_unique_name_per_authority"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sector_label(self) -> str:
        """The sector's label without ``get_sector_display``'s per-call rebuild of every choice."""
        return Sector(self.sector).label


# The attribute that carries a user's role codes read with the user itself (``User.roles``).
ROLE_CODES = "role_codes_read_with_user"

SYSTEM_ADMIN_ALONE = _(
    "A system administrator cannot also hold a role that works with cases or reports. "
    "Remove the other roles, or give the person a separate account for that work."
)


class RoleGrant(models.Model):
    """One role held by one user; a row per role keeps role filters indexable everywhere.

    Written only by ``accounts.services.user_access_set``, which audits the change.
    """

    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]
        indexes = [models.Index(fields=["role", "user"])]

    def __str__(self) -> str:
        return self.role

    def clean(self):
        """``system_admin`` is held alone: the administrator manages everyone's access and
        so must have no case access of their own (DESIGN.md §3)."""
        others = set(
            RoleGrant.objects.filter(user_id=self.user_id)
            .exclude(pk=self.pk)
            .values_list("role", flat=True)
        )
        if others and (self.role == Role.SYSTEM_ADMIN or Role.SYSTEM_ADMIN in others):
            raise ValidationError({"role": SYSTEM_ADMIN_ALONE})


class User(AbstractUser):
    """A person who signs in. Belongs to one agency; a user with no agency sees nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The language this person chose with the English | Cymraeg toggle (issue 19), so that it
    # follows them to another browser or device; blank: the browser's own choice.
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("en-gb", "English"), ("cy", "Cymraeg")],
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    @cached_property
    def roles(self) -> frozenset[str]:
        """The role codes this user holds (one query, cached on the instance).

        A user loaded for a request (``accounts.selectors.users_signing_in``) brings its codes
        with it; they are taken once, so forgetting ``roles`` reads the grants again.
        """
        codes = self.__dict__.pop(ROLE_CODES, None)
        if not self.pk or not self.is_active:
            return frozenset()
        if codes is not None:
            return frozenset(codes)
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @cached_property
    def local_authority(self) -> "LocalAuthority | None":
        return self.agency.local_authority if self.agency_id else None

    @property
    def local_authority_id(self):
        return self.agency.local_authority_id if self.agency_id else None

    @property
    def police_force_id(self):
        la = self.local_authority
        return la.police_force_id if la else None

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
