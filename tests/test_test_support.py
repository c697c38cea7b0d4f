"""The test suite's own helpers: where ../shared is looked for, and the waits that replace sleeps."""
from __future__ import annotations

import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import REQUIRE_SHARED, SHARED, shared_dir, shared_or_skip
from tests.servers import drain, wait_until
from tests.test_office_setup import NEW_PASSWORD, setup_form, unconfigured


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


@pytest.mark.real_password_hash
def test_unpatched_set_up_stores_werkzeug_s_default_hash(sqlite_database):
    from bot.app import create_app
    from storage import office_settings
    from werkzeug.security import check_password_hash
    client = create_app(unconfigured(), sqlite_database).test_client()
    assert client.post("/admin/setup", data=setup_form(client)).status_code == 302
    stored = office_settings.get(sqlite_database, office_settings.PASSWORD_HASH)
    assert stored.startswith("scrypt:") and check_password_hash(stored, NEW_PASSWORD)


def test_elsewhere_set_up_stores_a_quick_hash(sqlite_database):
    from bot.app import create_app
    from storage import office_settings
    client = create_app(unconfigured(), sqlite_database).test_client()
    assert client.post("/admin/setup", data=setup_form(client)).status_code == 302
    assert office_settings.get(sqlite_database, office_settings.PASSWORD_HASH).startswith("pbkdf2:sha256:1000$")


def test_a_clone_of_a_local_checkout_finds_the_shared_beside_that_checkout(tmp_path):
    checkout, shared = tmp_path / "work" / "main", tmp_path / "work" / "shared"
    (shared / "eval").mkdir(parents=True)
    checkout.mkdir()
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    subprocess.run(["git", "-C", str(checkout), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q",
                    "--allow-empty", "-m", "x"], check=True)
    clone = tmp_path / "elsewhere" / "c"
    subprocess.run(["git", "clone", "-q", str(checkout), str(clone)], check=True)

    assert shared_dir(checkout) == shared                     # beside the project
    assert shared_dir(clone) == shared                        # beside the checkout it was cloned from
    assert shared_dir(tmp_path / "nowhere" / "x") == tmp_path / "nowhere" / "shared"   # not found: the usual place
