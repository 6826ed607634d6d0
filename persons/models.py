"""The person index (issue 18): one person, many referrals.

A referral keeps its own ``Subject`` (what was submitted never changes); a ``Person`` is who
that subject is, so a second referral of the same person can be linked to the first. The
identity a person is matched on is kept as rows, each from the referral that gave it
(``referral``): names and aliases (``PersonName``), addresses with their dates
(``PersonAddress``) and identifiers such as an NHS number or UPN (``PersonIdentifier``).
Linking a referral to another person moves its rows there; unlinking moves them back to a
person of its own (``persons.services``).

This module imports nothing of ``referrals``: ``referrals`` reads the index (its matching),
so the foreign keys to referrals are named by string.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    """Someone referred at least once. Made by ``persons.services.person_index_referral``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Person {self.pk}"


class PersonName(models.Model):
    """A name the person is known by, with the date of birth given with it.

    ``first_key``/``last_key`` are phonetic keys (metaphone) kept for the indexed candidate
    search; the scoring itself re-reads the names (``persons.matching``).
    """

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    is_alias = models.BooleanField(_("other name"), default=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    first_key = models.CharField(max_length=24, blank=True)
    last_key = models.CharField(max_length=24, blank=True)

    class Meta:
        ordering = ["is_alias", "id"]
        indexes = [
            models.Index(fields=["date_of_birth"], name="person_name_dob_idx"),
            models.Index(fields=["last_key", "first_key"], name="person_name_key_idx"),
            # The undated people at an address, read by the candidate search without the
            # table (issue 18, bench row 8): an index-only merge with the address index.
            models.Index(
                fields=["person"],
                include=["last_name"],
                condition=models.Q(date_of_birth__isnull=True),
                name="person_name_undated_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Name {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonAddress(models.Model):
    """An address the person lived at, with the dates known (blank: not known)."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    address = models.TextField(_("address"), max_length=500, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    lived_from = models.DateField(_("from"), null=True, blank=True)
    lived_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["-lived_from", "id"]
        # (postcode, person): the candidate search reads who lives at a postcode from the
        # index alone.
        indexes = [models.Index(fields=["postcode", "person"], name="person_address_postcode_idx2")]

    def __str__(self) -> str:
        return f"Address {self.pk}"


class IdentifierKind(models.TextChoices):
    NHS_NUMBER = "nhs_number", _("NHS number")
    UPN = "upn", _("Unique pupil number (UPN)")


class PersonIdentifier(models.Model):
    """A number that identifies the person (stored without spaces, upper case)."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=IdentifierKind.choices)
    value = models.CharField(_("number"), max_length=20)

    class Meta:
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["kind", "value"], name="person_identifier_idx")]

    def __str__(self) -> str:
        return f"Identifier {self.pk}"


class LinkAction(models.TextChoices):
    LINKED = "linked", _("Linked to a person")
    UNLINKED = "unlinked", _("Unlinked from a person")
    REJECTED = "rejected", _("Not the same person")


class PersonLink(models.Model):
    """An officer's decision about a referral and a person: linked, unlinked, or a proposed
    match rejected (so it is not proposed again). Append-only: the link history."""

    id = models.BigAutoField(primary_key=True)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="person_links"
    )
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    previous_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=LinkAction.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="person_link_referral_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.pk}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving area")
    ACCEPTED = "accepted", _("Transfer accepted")
    DECLINED = "declined", _("Transfer declined")


class AreaTransfer(models.Model):
    """A case moving to another local authority and/or police force because the person moved
    (issue 18). The case keeps its lifecycle state throughout; this row is the pending move,
    then the record of it. At most one pending per case (the constraint, and a 409 before it).

    Made by ``persons.services.referral_transfer``; completed by ``referral_accept_transfer``
    (the case's area changes then, and with it who may see it) or ended by
    ``referral_decline_transfer``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="transfers"
    )
    state_at_request = models.CharField(max_length=24)
    from_local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    from_police_force = models.ForeignKey(
        "accounts.PoliceForce", on_delete=models.PROTECT, related_name="+"
    )
    to_local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    to_police_force = models.ForeignKey(
        "accounts.PoliceForce", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status="pending"),
                name="one_pending_transfer_per_case",
            )
        ]
        indexes = [
            models.Index(fields=["to_police_force", "status"], name="transfer_to_force_idx"),
            models.Index(fields=["to_local_authority", "status"], name="transfer_to_la_idx"),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk}"
