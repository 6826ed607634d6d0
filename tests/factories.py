"""Factories for people and organisations (Faker en_GB). Case factories live per app."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Agency, LocalAuthority, PoliceForce, Role, RoleGrant, Sector, User

factory.Faker._DEFAULT_LOCALE = "en_GB"

PASSWORD = "correct-horse-battery"


class PoliceForceFactory(DjangoModelFactory):
    class Meta:
        model = PoliceForce
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Force {n} Police")


class LocalAuthorityFactory(DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Borough {n} Council")
    police_force = factory.SubFactory(PoliceForceFactory)


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Sector.EDUCATION
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            RoleGrant.objects.create(user=self, role=role)
        self.__dict__.pop("roles", None)


__all__ = [
    "PASSWORD",
    "AgencyFactory",
    "LocalAuthorityFactory",
    "PoliceForceFactory",
    "Role",
    "Sector",
    "UserFactory",
]
