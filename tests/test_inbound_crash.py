"""kill -9 during a burst of signed reports: every message DingTalk heard 200 for is stored,
recorded and answered after a restart; a redelivery of a handled message is dropped."""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from flask import request
from sqlalchemy import func, select

from bot.app import REPLY_WORKERS
from storage.db import Database
from storage.models import InboundMessage, StatusReport
from tests.commands import run_bot
from tests.conftest import ROOT
from tests.servers import FakeDingTalk, free_port, serving, wait_until, wait_until_healthy
from tests.test_dingtalk import SECRET, callback_body, post

BURST = 240
CLIENTS = 12
LEASE_S = 2


def start_server(config, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), "--config", str(config)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if wait_until_healthy(f"http://127.0.0.1:{port}", server, 60):
        return server
    server.kill()
    raise AssertionError("the server did not start")


def report(fake_url: str, i: int) -> dict:
    body = callback_body(fake_url, "完成 1", msg_id=f"burst-{i}")
    body.update(senderStaffId=f"staff-{i}", senderNick=f"老师{i:03d}", senderId=f"$:sender-{i}")
    body["sessionWebhook"] = f"{fake_url}/robot/sendBySession?session=s-{i}"
    return body


def test_kill_dash_nine_in_a_burst_of_reports_loses_none(tmp_path):
    fake = FakeDingTalk()
    record = fake.app.view_functions["send_by_session"]
    killed = threading.Event()
    sentinels = threading.Barrier(REPLY_WORKERS, timeout=30)

    def answer():
        if request.args.get("session", "").startswith("sentinel-"):
            sentinels.wait()   # every reply worker is here at once: none is still busy with earlier work
        elif not killed.is_set():
            time.sleep(0.2)    # answers take a while, so a backlog builds up in the server's memory
        return record()
    fake.app.view_functions["send_by_session"] = answer

    with serving(fake.app) as fake_url:
        config = tmp_path / "config.yaml"
        config.write_text(
            f"database: {{url: 'sqlite:///{tmp_path / 'bot.db'}'}}\n"
            "school: {name: 青禾小学, terms: [{name: 第一学期, start: 2026-09-01, end: 2027-01-22}]}\n"
            f"dingtalk: {{app_secret: {SECRET}, session_webhook_base: '{fake_url}'}}\n"
            f"inbox_lease_seconds: {LEASE_S}\n", encoding="utf-8")
        imported = run_bot("plan", "import", ROOT / "examples" / "sample_plan.docx", "--config", config)
        assert imported.returncode == 0, imported.stderr
        port = free_port()
        app_url = f"http://127.0.0.1:{port}"
        server = start_server(config, port)
        acknowledged: list[int] = []

        def send(i: int) -> None:
            try:
                if post(app_url, report(fake_url, i)).status_code == 200:
                    acknowledged.append(i)
            except requests.RequestException:
                pass   # the kill cut this one off: DingTalk would resend it

        with ThreadPoolExecutor(CLIENTS) as clients:
            futures = [clients.submit(send, i) for i in range(BURST)]
            assert wait_until(lambda: len(acknowledged) >= BURST // 3, timeout=60, interval=0.005)
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=10)
            killed.set()   # what is still owed is answered at once after the restart
            for future in futures:
                future.result()
        answered_before_restart = len(fake.received)
        assert answered_before_restart < len(acknowledged), f"the kill must land with answers still owed: {answered_before_restart} of {len(acknowledged)}"

        server = start_server(config, port)
        try:
            database = Database(f"sqlite:///{tmp_path / 'bot.db'}")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and (_unhandled(database) or _reporters(database) < len(acknowledged)):
                time.sleep(0.2)
            # Every acknowledged report is stored (a message stored whose 200 the kill cut off is handled too:
            # DingTalk's resend of it will be dropped as handled).
            assert _unhandled(database) == 0 and _reporters(database) >= len(acknowledged)
            with database.engine.connect() as conn:
                stored = set(conn.execute(select(InboundMessage.msg_id)).scalars())
            assert {f"burst-{i}" for i in acknowledged} <= stored
            sessions = {r["session"] for r in fake.wait_for(len(acknowledged), timeout=30)}
            assert {f"s-{i}" for i in acknowledged} <= sessions          # and every teacher got an answer
            # DingTalk resending a handled message changes nothing and answers nothing: once messages sent after
            # it have taken every reply worker at once, anything the resend set going has finished.
            before, reporters = len(fake.received), _reporters(database)
            assert post(app_url, report(fake_url, acknowledged[0])).status_code == 200
            for k in range(REPLY_WORKERS):
                sentinel = callback_body(fake_url, "帮助", msg_id=f"sentinel-{k}")
                sentinel["sessionWebhook"] = f"{fake_url}/robot/sendBySession?session=sentinel-{k}"
                assert post(app_url, sentinel).status_code == 200
            later = fake.wait_for(before + REPLY_WORKERS)[before:]
            assert sorted(r["session"] for r in later) == [f"sentinel-{k}" for k in range(REPLY_WORKERS)]
            assert _reporters(database) == reporters
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
    print(f"burst {BURST}: {len(acknowledged)} acknowledged, {answered_before_restart} answered before the kill, "
          f"{reporters} stored and answered after the restart")


def _reporters(database: Database) -> int:
    with database.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(StatusReport)).scalar()


def _unhandled(database: Database) -> int:
    with database.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(InboundMessage).where(InboundMessage.state != "handled")).scalar()
