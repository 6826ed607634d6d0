from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PersonsConfig(AppConfig):
    name = "persons"
    verbose_name = _("Person index")

    def ready(self) -> None:
        # The submit step names the hook that puts the new referral's subject in the index.
        from prevent_cms.audit_labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
        from prevent_cms.registry import register_nav
        from referrals import lifecycle

        from . import timeline  # noqa: F401  (registers the timeline's link entries)
        from .index import index_submitted_referral
        from .selectors import transfers_addressed_to

        lifecycle.register_hook("index_person", index_submitted_referral)
        # Who may accept a transfer: a force's officers, a local authority's chairs.
        # Its own entry in the catalogue, so the navigation's Welsh can be shorter than the
        # page heading's: "Trosglwyddiadau yn aros amdanoch" wrapped an officer's sections to
        # two rows at 1280 px (tests/browser/test_service_navigation.py).
        register_nav(
            pgettext_lazy("service navigation", "Transfers waiting for you"),
            "persons:transfers",
            roles={"prevent_officer", "channel_chair"},
            order=78,
            count=transfers_addressed_to,
        )
