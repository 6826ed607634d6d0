from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from prevent_cms.audit_labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
        from prevent_cms.registry import register_nav, register_work

        from .selectors import CONSULTATION_AREAS
        from .work import consultation_work

        # The roles that see consultations are those the selector names, so a role added
        # there gets the pages' link too.
        register_nav(
            _("Consultations"), "consultations:list", roles=set(CONSULTATION_AREAS), order=25
        )
        register_work(consultation_work, roles=set(CONSULTATION_AREAS), order=25)
