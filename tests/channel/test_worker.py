"""The pack job on a real Celery worker with Redis (``make test``); skipped on SQLite runs."""

import pytest

from channel.models import PanelPack
from channel.services.packs import panel_pack_request
from prevent_cms.models import Job
from tests.channel import factories as cf
from tests.helpers import assert_pack_generation_audited_once
from tests.worker import wait_until, wait_until_redeliverable

pytestmark = pytest.mark.worker


def test_pack_job_runs_on_a_real_worker(world, team, celery_worker_process):
    referral = cf.channel_panel(world, team)
    panel = cf.held_panel(world, team, referral)
    job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    wait_until(lambda: Job.objects.get(pk=job.pk).state == Job.State.DONE, timeout=60)
    assert PanelPack.objects.filter(job=job).count() == panel.members.count()
    assert_pack_generation_audited_once(job, panel, [referral])


def test_pack_job_survives_a_killed_worker(world, team, celery_worker_factory):
    referral = cf.channel_panel(world, team)
    panel = cf.held_panel(world, team, referral)
    worker = celery_worker_factory(visibility_timeout=2)
    job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    worker.kill_when(lambda: Job.objects.get(pk=job.pk).state != Job.State.QUEUED)
    # Redis hands back an unacknowledged task only once its visibility timeout has passed, and
    # a worker restores such tasks when it starts: so start the next one after the timeout.
    wait_until_redeliverable(visibility_timeout=2)
    celery_worker_factory(visibility_timeout=2)
    wait_until(lambda: Job.objects.get(pk=job.pk).state == Job.State.DONE, timeout=90)
    members = panel.members.count()
    assert PanelPack.objects.filter(job=job).count() == members
    assert_pack_generation_audited_once(job, panel, [referral])
