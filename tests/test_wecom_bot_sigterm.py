"""SIGTERM (systemd's stop, docker stop) ends `python -m bot scheduler` and `serve` as Ctrl-C does: the WeCom
bot's holder gives its lease up, so the next process connects at once instead of after the lease lapses."""
from __future__ import annotations

import signal
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from bot.wecom_longconn import LEASE
from storage import deliveries
from tests.conftest import ROOT
from tests.fake_wecom_ws import FakeWeComWs
from tests.servers import free_port
from tests.test_wecom import with_sample_plan

BOT_ID, SECRET = "aibot-qinghe", "aibot-secret-value"


@pytest.mark.parametrize("command", [["scheduler"], ["serve", "--port"]])
def test_sigterm_gives_the_lease_up(sqlite_database_prepared, tmp_path, command):
    database = sqlite_database_prepared(with_sample_plan)
    fake = FakeWeComWs(BOT_ID, SECRET)
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{database.engine.url.database}'}}\n"
        "school: {name: 青禾小学, terms: [{name: 第一学期, start: 2026-09-01, end: 2027-01-22}]}\n"
        f"wecom_bot: {{bot_id: {BOT_ID}, secret: {SECRET}, ws_url: '{fake.url}'}}\n", encoding="utf-8")
    args = command + [str(free_port())] if command[-1] == "--port" else command
    process = subprocess.Popen([sys.executable, "-m", "bot", *args, "--config", str(config)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        fake.wait_for_subscriptions(1, timeout=60)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        fake.close()
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert deliveries.take_lease(database, LEASE, "next-process:1", datetime.now(timezone.utc), 30)   # given up, not left to lapse
