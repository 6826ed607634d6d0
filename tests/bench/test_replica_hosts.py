"""Measurement 10's two hosts on one machine (bench/replica.py): which core stands for which
host, and CPU affinity set on a process tree and put back afterwards."""

import os
import subprocess
import time

import psutil

from bench.replica import HostCores, host_cores, pinned


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
