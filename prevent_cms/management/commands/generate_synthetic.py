"""``manage.py generate_synthetic --referrals N --seed S``: national-scale synthetic data."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from prevent_cms.synthetic import generate


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated PostgreSQL database with deterministic synthetic data at "
        "national shape (benchmarks; see docs/performance.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--referrals", type=int, default=70_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--regions", type=int, default=11, help="Keep only the first N of the 11 regions."
        )

    def handle(self, *args, referrals: int, seed: int, regions: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_synthetic writes with COPY: it needs PostgreSQL.")
        if referrals < 1:
            raise CommandError("--referrals must be at least 1.")
        try:
            counts = generate(
                referrals=referrals,
                seed=seed,
                regions=regions,
                log=lambda m: self.stdout.write(f"  {m}"),
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['referrals']:,} referrals, {counts['local_authorities']} local "
                f"authorities, {counts['users']:,} users in {counts['seconds']} s"
            )
        )
