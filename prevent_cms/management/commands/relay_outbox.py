"""Send the outbox's pending Celery tasks (after Redis was down), then say how many."""

from django.core.management.base import BaseCommand

from prevent_cms.outbox import outbox_pending, outbox_relay


class Command(BaseCommand):
    help = "Send pending outbox messages to the broker; stops at the first broker error."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=10000)

    def handle(self, *args, limit: int, **options):
        sent = outbox_relay(limit=limit)
        self.stdout.write(f"relayed {sent}, pending {outbox_pending()}")
