from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, PEOPLE, seed_people
from prevent_cms.registry import seeders


class Command(BaseCommand):
    help = "Create the demo organisations, users and cases (idempotent). Never in production."

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("Demo data is never created under production settings.")
        people = seed_people()
        for seed in seeders():
            seed(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Users (password '{DEMO_PASSWORD}'): {', '.join(PEOPLE)}")
