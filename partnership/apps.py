from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = _("Partnership")

    def ready(self) -> None:
        from prevent_cms.audit_labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
        from accounts.models import Role
        from prevent_cms.registry import register_nav

        register_nav(_("Partnership"), "partnership:home", roles={Role.BOROUGH_LEAD}, order=52)
