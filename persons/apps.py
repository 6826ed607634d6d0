from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    name = "persons"
    verbose_name = _("Person index")

    def ready(self) -> None:
        # The submit step names the hook that puts the new referral's subject in the index.
        from prevent_cms.registry import register_nav
        from referrals import lifecycle

        from . import timeline  # noqa: F401  (registers the timeline's link entries)
        from .index import index_submitted_referral
        from .selectors import transfers_addressed_to

        lifecycle.register_hook("index_person", index_submitted_referral)
        # Who may accept a transfer: a force's officers, a local authority's chairs.
        register_nav(
            _("Transfers waiting for you"),
            "persons:transfers",
            roles={"prevent_officer", "channel_chair"},
            order=78,
            count=transfers_addressed_to,
        )
