from django.apps import AppConfig


class ChannelConfig(AppConfig):
    name = "channel"
    verbose_name = "Channel"

    def ready(self) -> None:
        from . import guards, registration, signals  # noqa: F401

        guards.register()
        registration.register()
