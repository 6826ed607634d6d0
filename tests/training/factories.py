"""Training factories (Faker en_GB), one per record status so tests say what they mean."""

from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from tests.factories import AgencyFactory
from training.dates import add_months, today
from training.models import Course, DeliveryMode, StaffMember, StaffRole, TrainingRecord
from training.services import ValidityTable


def standard_course(code: str = "awareness") -> Course:
    """A course created by the data migration (awareness, referrals, channel_awareness, …)."""
    return Course.objects.get(code=code)


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"local-course-{n}")
    title = factory.Sequence(lambda n: f"Local course {n}")
    provider = "local"
    kind = "full"


class StaffMemberFactory(DjangoModelFactory):
    class Meta:
        model = StaffMember

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    department = factory.Faker("job")
    role = StaffRole.PRACTITIONER
    frontline = True


class TrainingRecordFactory(DjangoModelFactory):
    """A current Awareness completion by default; see the status factories below."""

    class Meta:
        model = TrainingRecord

    staff = factory.SubFactory(StaffMemberFactory)
    course = factory.LazyFunction(standard_course)
    delivery_mode = DeliveryMode.ONLINE
    completed_on = factory.LazyFunction(lambda: today() - timedelta(days=100))
    expires_on = factory.LazyAttribute(
        lambda o: ValidityTable([o.course]).expires_on(
            o.course, sector=o.staff.agency.sector, role=o.staff.role, completed_on=o.completed_on
        )
    )


class CurrentRecordFactory(TrainingRecordFactory):
    completed_on = factory.LazyFunction(lambda: today() - timedelta(days=30))


class ExpiringSoonRecordFactory(TrainingRecordFactory):
    """Runs out in about a month: completed 24 months less 30 days ago."""

    completed_on = factory.LazyFunction(lambda: add_months(today(), -24) + timedelta(days=30))


class ExpiredRecordFactory(TrainingRecordFactory):
    completed_on = factory.LazyFunction(lambda: add_months(today(), -24) - timedelta(days=10))
