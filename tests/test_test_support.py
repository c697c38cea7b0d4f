"""The test suite's own helpers: where ../shared is looked for, and the waits that replace sleeps."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import REQUIRE_SHARED, SHARED, shared_or_skip
from tests.servers import drain, wait_until


def test_a_missing_shared_folder_skips_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv(REQUIRE_SHARED, raising=False)
    with pytest.raises(pytest.skip.Exception):
        shared_or_skip(tmp_path / "shared")


def test_a_missing_shared_folder_fails_where_it_is_required(tmp_path, monkeypatch):
    monkeypatch.setenv(REQUIRE_SHARED, "1")
    with pytest.raises(pytest.fail.Exception, match=REQUIRE_SHARED):
        shared_or_skip(tmp_path / "shared")


def test_a_present_shared_folder_is_found(tmp_path, monkeypatch):
    monkeypatch.setenv(REQUIRE_SHARED, "1")
    (tmp_path / "shared" / "eval").mkdir(parents=True)
    assert shared_or_skip(tmp_path / "shared") == tmp_path / "shared"
    assert shared_or_skip.__defaults__ == (SHARED,)   # the tests look beside the project


def test_drain_returns_only_after_earlier_work_is_done():
    done: list[int] = []
    with ThreadPoolExecutor(3) as executor:
        for i in range(7):
            executor.submit(lambda i=i: (time.sleep(0.02 * (i % 3)), done.append(i)))
        drain(executor, 3)
        assert sorted(done) == list(range(7))


def test_drain_fails_loudly_when_the_workers_are_fewer_than_said():
    with ThreadPoolExecutor(1) as executor:
        with pytest.raises(threading.BrokenBarrierError):
            drain(executor, 2, timeout=0.2)


def test_wait_until_says_whether_the_condition_came_true():
    flag = threading.Event()
    threading.Timer(0.05, flag.set).start()
    assert wait_until(flag.is_set, timeout=5)
    assert not wait_until(lambda: False, timeout=0.05)
