from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    name = "persons"
    verbose_name = _("Person index")

    def ready(self) -> None:
        # The submit step names the hook that puts the new referral's subject in the index.
        from referrals import lifecycle

        from . import timeline  # noqa: F401  (registers the timeline's link entries)
        from .index import index_submitted_referral

        lifecycle.register_hook("index_person", index_submitted_referral)
