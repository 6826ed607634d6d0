"""Every referral already sent gets a person of its own in the index (issue 18).

One person per referral, holding the identity its subject gives (names and other names with
the date of birth, current and previous addresses); officers then link the ones that are the
same person. Drafts join the index when they are submitted (the submit hook). Reversible:
backwards, the referrals lose their person and the index rows go (nothing else points at
them before this migration).
"""

from django.db import migrations

from persons import matching

BATCH = 500


def index_referrals(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    Person = apps.get_model("persons", "Person")
    PersonName = apps.get_model("persons", "PersonName")
    PersonAddress = apps.get_model("persons", "PersonAddress")
    pending = (
        Referral.objects.filter(person__isnull=True)
        .exclude(state="draft")
        .select_related("subject")
        .order_by("pk")
    )
    while True:
        batch = list(pending[:BATCH])
        if not batch:
            return
        people = Person.objects.bulk_create(Person() for _ in batch)
        names, addresses = [], []
        for referral, person in zip(batch, people, strict=True):
            subject = referral.subject
            dob = subject.date_of_birth
            found = [(subject.first_name, subject.last_name, False)]
            found += [
                (first, last, True)
                for first, last in matching.split_aliases(
                    subject.aliases, last_name=subject.last_name
                )
            ]
            for first, last, is_alias in found:
                names.append(
                    PersonName(
                        person=person,
                        referral=referral,
                        first_name=first[:100],
                        last_name=last[:100],
                        is_alias=is_alias,
                        date_of_birth=dob,
                        first_key=matching.phonetic(first),
                        last_key=matching.phonetic(last),
                    )
                )
            where = matching.addresses_from(
                subject.address, subject.postcode, subject.previous_addresses
            )
            for i, address in enumerate(where):
                addresses.append(
                    PersonAddress(
                        person=person,
                        referral=referral,
                        address=address.address,
                        postcode=address.postcode[:10],
                        lived_from=(
                            referral.submitted_at.date()
                            if referral.submitted_at and not i
                            else None
                        ),
                    )
                )
            referral.person = person
        PersonName.objects.bulk_create(names)
        PersonAddress.objects.bulk_create(addresses)
        Referral.objects.bulk_update(batch, ["person"])


def unindex_referrals(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    Person = apps.get_model("persons", "Person")
    Referral.objects.exclude(person__isnull=True).update(person=None)
    apps.get_model("persons", "PersonLink").objects.all().delete()
    Person.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0009_persons_referral_person"),
    ]

    operations = [migrations.RunPython(index_referrals, unindex_referrals, elidable=False)]
