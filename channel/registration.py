"""Channel's links, home panels and demo data, plugged into the shared pages."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from prevent_cms import registry

from .demo import seed_channel
from .models import PanelPack
from .packs import PACK_PURGED, PACK_WITHDRAWN, panel_pack_job_page, panel_pack_purge_expired
from .reference_data import ensure_vaf
from .selectors import chair_dashboard, channel_clock_forecast, panel_pack_job_readable_by
from .services.packs import panel_pack_use_link
from .work import chair_work, member_work, provider_work


def _home_panel(user):
    data = chair_dashboard(user)
    return {
        "awaiting_panel": len(data["awaiting_panel"]),
        "reviews_due": len(data["reviews_due"]) + len(data["post_exit_due"]),
        "next_panel": data["next_panel"],
    }


def _open_pack_job_result(*, job, actor):
    """The pack job keeps no file of its own: its result is the owner's single-use copy."""
    pack = PanelPack.objects.filter(job=job, recipient_id=job.owner_id).first()
    if pack is None:
        raise PanelPack.DoesNotExist
    return panel_pack_use_link(pack_id=pack.pk, actor=actor, via="job").file.open("rb")


def register() -> None:
    registry.register_nav(_("Channel"), "channel:dashboard", roles={Role.CHANNEL_CHAIR}, order=30)
    registry.register_nav(_("Panels"), "channel:panel_list", roles={Role.PANEL_MEMBER}, order=31)
    registry.register_nav(
        _("Interventions"), "channel:provider_list", roles={Role.INTERVENTION_PROVIDER}, order=32
    )
    registry.register_home_panel(
        "channel/home_panel.html", _home_panel, roles={Role.CHANNEL_CHAIR}, order=30
    )
    registry.register_work(chair_work, roles={Role.CHANNEL_CHAIR}, order=30)
    registry.register_forecast(channel_clock_forecast, roles={Role.CHANNEL_CHAIR}, order=30)
    registry.register_work(member_work, roles={Role.PANEL_MEMBER}, order=31)
    registry.register_work(provider_work, roles={Role.INTERVENTION_PROVIDER}, order=32)
    registry.register_seeder(seed_channel, order=40)
    registry.register_reference_data(ensure_vaf)
    registry.register_job_result_opener("channel.panel_pack", _open_pack_job_result)
    registry.register_job_reader(
        "channel.panel_pack",
        panel_pack_job_readable_by,
        withdrawn_message=PACK_WITHDRAWN,
        purged_message=PACK_PURGED,
    )
    registry.register_job_page("channel.panel_pack", panel_pack_job_page)
    registry.register_purge("panel_packs", panel_pack_purge_expired)
