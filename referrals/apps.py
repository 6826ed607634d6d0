import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # Registers the police-stage guards, the transition permission table and the
        # system check that fails closed when a transition's guard or hook is missing.
        from prevent_cms import registry
        from prevent_cms.audit_labels import register_action_labels
        from prevent_cms.schedule import periodic

        from . import (  # noqa: F401  (imported for what importing them registers)
            checks,
            demo,
            exports,
            guards,
            permissions,
            selectors,
            subject_access,
            timeline,
        )
        from .audit_labels import ACTIONS, transition_label
        from .reference_data import ensure_concern_types
        from .views import panels
        from .work import officer_work, record_today_read, referrer_work

        register_action_labels(ACTIONS, transition_label)
        referrer_roles = {"referrer", "agency_lead"}
        registry.register_nav(
            _("Referrals"), "referrals:mine", roles=referrer_roles | {"prevent_lead"}, order=10
        )
        registry.register_nav(
            _("Record a referral"),
            "referrals:record",
            roles={"prevent_officer", "prevent_lead"},
            order=12,
        )
        registry.register_nav(
            _("Triage queue"), "referrals:queue", roles={"prevent_officer"}, order=10
        )
        registry.register_home_panel(
            "referrals/panels/referrer.html", panels.referrer_panel, roles=referrer_roles, order=10
        )
        registry.register_home_panel(
            "referrals/panels/officer.html",
            panels.officer_panel,
            roles={"prevent_officer"},
            order=10,
        )
        registry.register_work(referrer_work, roles=referrer_roles, order=10)
        registry.register_work_reader(record_today_read)
        registry.register_work(officer_work, roles={"prevent_officer"}, order=10)
        registry.register_forecast(
            selectors.referral_clock_forecast, roles={"prevent_officer"}, order=10
        )
        case_roles = {"prevent_officer", "channel_chair"}
        # Rarer case-record tools sit behind one link, so the navigation stays one row.
        registry.register_nav(
            _("Case records"),
            "referrals:records",
            roles=case_roles,
            order=80,
            also=("referrals:break_glass", "referrals:retention", "referrals:subject_access"),
        )
        registry.register_job_reader(exports.EXPORT_KIND, exports.case_list_export_readable_by)
        registry.register_job_page(exports.EXPORT_KIND, exports.case_list_export_job_page)
        registry.register_job_page(subject_access.JOB_KIND, subject_access.subject_access_job_page)
        registry.register_job_reader(
            subject_access.JOB_KIND, subject_access.subject_access_job_readable_by
        )
        registry.register_seeder(demo.seed_referrals, order=20)
        periodic(
            "referrals: triage and assessment clocks breached",
            "referrals.tasks.send_clock_breaches",
            every=datetime.timedelta(hours=1),
        )
        registry.register_reference_data(ensure_concern_types)
