from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = _("Partnership")

    def ready(self) -> None:
        from accounts.models import Role
        from prevent_cms.registry import register_nav

        register_nav(_("Partnership"), "partnership:home", roles={Role.BOROUGH_LEAD}, order=52)
