from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and organisations"

    def ready(self) -> None:
        from prevent_cms.audit_labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
        from . import signals  # noqa: F401 - connects sign-in audit receivers
