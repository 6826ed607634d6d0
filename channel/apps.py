from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ChannelConfig(AppConfig):
    name = "channel"
    verbose_name = "Channel"

    def ready(self) -> None:
        # Guards, hooks and registrations need the models loaded, hence imported here.
        from . import guards, hooks, registration
        from .schedule import ensure_reminder_schedule

        guards.register()
        hooks.register()
        registration.register()
        post_migrate.connect(ensure_reminder_schedule, sender=self)
