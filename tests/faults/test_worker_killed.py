"""Worker killed with SIGKILL in the middle of a panel pack, after its first PDF is written.

``tests/channel/test_worker.py::test_pack_job_survives_a_killed_worker`` already kills the
worker as soon as the job is claimed (before any PDF). This one kills it later, once at least
one recipient's pack is committed and the rest are not: after redelivery (visibility timeout
2 s) there is still exactly one set of PDFs, and one ``channel.pack.generated`` event per
recipient for the panel plus one per recipient per case in the pack.
"""

import pytest

from channel.models import PanelPack
from channel.services.packs import panel_pack_request
from prevent_cms.models import Job
from tests.channel import factories as cf
from tests.channel.conftest import reference_data, team  # noqa: F401
from tests.faults.conftest import needs_real_services
from tests.helpers import assert_pack_generation_audited_once
from tests.worker import wait_until, wait_until_redeliverable

pytestmark = [pytest.mark.worker, pytest.mark.serial, needs_real_services]


def test_pack_killed_after_its_first_pdf_ends_with_one_set(world, team, celery_worker_factory):  # noqa: F811
    referral = cf.channel_panel(world, team)
    panel = cf.held_panel(world, team, referral)
    members = panel.members.count()
    assert members >= 2
    worker = celery_worker_factory(visibility_timeout=2)
    job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    worker.kill_when(lambda: PanelPack.objects.filter(job=job).exists(), timeout=60)
    at_kill = PanelPack.objects.filter(job=job).count()
    print(f"\nworker killed with {at_kill} of {members} packs written")  # noqa: T201
    assert Job.objects.get(pk=job.pk).state != Job.State.DONE or at_kill == members
    # Redis hands back an unacknowledged task only after its visibility timeout, and a worker
    # restores such tasks when it starts: start the next one once the timeout has passed.
    wait_until_redeliverable(visibility_timeout=2)
    celery_worker_factory(visibility_timeout=2)
    wait_until(lambda: Job.objects.get(pk=job.pk).state == Job.State.DONE, timeout=90)
    assert PanelPack.objects.filter(job=job).count() == members
    assert sorted(PanelPack.objects.filter(job=job).values_list("recipient", flat=True)) == sorted(
        panel.members.values_list("pk", flat=True)
    )
    assert_pack_generation_audited_once(job, panel, [referral])
