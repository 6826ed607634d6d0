from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from prevent_cms.audit_labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
        from accounts.models import Role
        from prevent_cms.registry import (
            register_forecast,
            register_home_panel,
            register_job_page,
            register_job_reader,
            register_nav,
            register_purge,
            register_reference_data,
            register_seeder,
            register_work,
        )
        from prevent_cms.schedule import periodic

        from .courses import ensure_courses_exist
        from .demo import seed_training
        from .imports.jobs import import_job_page
        from .imports.retention import import_previews_purge_expired
        from .panels import home_panel, training_work
        from .selectors import import_job_readable_by, training_clock_forecast

        readers = {Role.AGENCY_LEAD, Role.BOROUGH_LEAD}
        register_nav(_("Training"), "training:dashboard", roles=readers, order=40)
        register_home_panel("training/home_panel.html", home_panel, roles=readers, order=40)
        register_work(training_work, roles={Role.BOROUGH_LEAD}, order=40)
        register_forecast(training_clock_forecast, roles={Role.BOROUGH_LEAD}, order=40)
        register_seeder(seed_training, order=40)
        register_reference_data(ensure_courses_exist)
        periodic(
            "training: monthly expiry reminders to agency leads",
            "training.tasks.send_monthly_reminders",
            crontab="0 7 1 * *",
        )
        for kind in ("training.import.check", "training.import.run"):
            register_job_reader(kind, import_job_readable_by)
            register_job_page(kind, import_job_page)
        register_purge("import_previews", import_previews_purge_expired)
