from django.apps import AppConfig


class ChannelConfig(AppConfig):
    name = "channel"
    verbose_name = "Channel"

    def ready(self) -> None:
        # Guards, hooks and registrations need the models loaded, hence imported here.
        from prevent_cms.audit_labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
        from prevent_cms.schedule import periodic

        from . import guards, hooks, registration, timeline  # noqa: F401 (registers its kinds)

        guards.register()
        hooks.register()
        registration.register()
        periodic(
            "channel: daily reminders (reviews, consent reassessments, panels, post-exit)",
            "channel.tasks.send_channel_reminders",
            crontab="30 6 * * *",
        )
