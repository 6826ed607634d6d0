from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from prevent_cms.audit_labels import register_action_labels

        from .audit_labels import ACTIONS

        register_action_labels(ACTIONS)
        import datetime

        from accounts.models import Role
        from prevent_cms.registry import (
            register_home_panel,
            register_job_page,
            register_job_reader,
            register_nav,
            register_work,
        )
        from prevent_cms.schedule import periodic
        from referrals import lifecycle

        from .exports import compliance_export_job_page, compliance_export_readable_by
        from .panels import home_panel
        from .rollup import statistics_after_step
        from .work import borough_lead_work

        register_nav(
            _("Statistics"),
            "reports:statistics",
            roles={Role.BOROUGH_LEAD, Role.PREVENT_OFFICER},
            order=50,
        )
        register_nav(_("Compliance"), "reports:compliance", roles={Role.BOROUGH_LEAD}, order=51)
        register_home_panel(
            "reports/home_panel.html", home_panel, roles={Role.BOROUGH_LEAD}, order=30
        )
        register_job_reader("reports.compliance_export", compliance_export_readable_by)
        register_job_page("reports.compliance_export", compliance_export_job_page)
        register_work(borough_lead_work, roles={Role.BOROUGH_LEAD}, order=45)
        # The statistics rollup (issue 25): rewritten in every lifecycle step's transaction,
        # and every minute for referrals changed another way (the triggers' stale list).
        lifecycle.register_every_step_hook("statistics_rollup", statistics_after_step)
        periodic(
            "reports: statistics rollup of changed referrals",
            "reports.tasks.refresh_statistics_rollup",
            every=datetime.timedelta(minutes=1),
        )
