"""gunicorn's hooks for prometheus_client's multiprocess mode (prevent_cms.gunicorn_conf)."""

from types import SimpleNamespace

from prevent_cms import gunicorn_conf


def test_a_worker_that_exits_is_marked_dead_and_its_counters_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    for name in ("gauge_livesum_4242.db", "gauge_liveall_4242.db", "counter_4242.db"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "gauge_livesum_4343.db").write_bytes(b"")
    gunicorn_conf.child_exit(server=None, worker=SimpleNamespace(pid=4242))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "counter_4242.db",
        "gauge_livesum_4343.db",
    ]


def test_gunicorn_starts_with_an_empty_metrics_directory(tmp_path, monkeypatch):
    directory = tmp_path / "metrics"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    gunicorn_conf.on_starting(server=None)
    (directory / "counter_1.db").write_bytes(b"")
    gunicorn_conf.on_starting(server=None)
    assert list(directory.iterdir()) == []


def test_without_the_setting_the_hooks_do_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    gunicorn_conf.on_starting(server=None)
    gunicorn_conf.child_exit(server=None, worker=SimpleNamespace(pid=1))
