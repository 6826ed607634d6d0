from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # Registers the police-stage guards and the transition permission table.
        from . import guards, permissions  # noqa: F401
