from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ChannelConfig(AppConfig):
    name = "channel"
    verbose_name = "Channel"

    def ready(self) -> None:
        # Guards, signals and registrations need the models loaded, hence imported here.
        from . import guards, registration, signals  # noqa: F401
        from .schedule import ensure_reminder_schedule

        guards.register()
        registration.register()
        post_migrate.connect(ensure_reminder_schedule, sender=self)
