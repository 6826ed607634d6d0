"""Measurement 10's two hosts on one machine (bench/replica.py): which core stands for which
host, and CPU affinity set on a process tree and put back afterwards."""

import os
import subprocess
import time

import psutil

from bench.replica import BOUND_FROM_REFERRALS, HostCores, host_cores, p95_bound, pinned


def test_two_cores_give_one_to_each_host_and_the_load_generators_the_replica_s():
    assert host_cores({0, 1}) == HostCores(primary=(0,), replica=(1,), clients=(1,))


def test_more_cores_give_the_load_generators_their_own():
    assert host_cores({0, 1, 2}) == HostCores(primary=(0,), replica=(1,), clients=(2,))
    assert host_cores({0, 1, 2, 3, 4}) == HostCores(primary=(0, 1), replica=(2, 3), clients=(4,))


def test_one_core_has_no_second_host():
    assert host_cores({3}) is None


def test_a_process_and_what_it_has_forked_are_pinned_and_put_back():
    before = os.sched_getaffinity(0)
    core = min(before)
    # A parent that has already forked a child, as a postmaster has its backends.
    parent = subprocess.Popen(["bash", "-c", "sleep 30 & wait"])
    children: list[psutil.Process] = []
    try:
        for _ in range(100):
            children = psutil.Process(parent.pid).children()
            if children:
                break
            time.sleep(0.05)
        assert children
        child = children[0].pid
        with pinned(parent.pid, {core}):
            assert os.sched_getaffinity(parent.pid) == {core}
            assert os.sched_getaffinity(child) == {core}
        assert os.sched_getaffinity(parent.pid) == before
        assert os.sched_getaffinity(child) == before
    finally:
        for process in children:
            process.kill()
        parent.kill()
        parent.wait()


def test_the_replica_row_is_judged_at_full_scale_on_separate_cores_only():
    """At full scale two quiet bench runs showed the gain (0.52 and 0.42); at 5,000 referrals
    the reports weigh too little to show it, and on one core there is no second host."""
    two = host_cores({0, 1})
    assert p95_bound(two, BOUND_FROM_REFERRALS) == 1.0
    assert p95_bound(two, 70_000) == 1.0
    assert p95_bound(two, 5_000) is None
    assert p95_bound(None, 70_000) is None
