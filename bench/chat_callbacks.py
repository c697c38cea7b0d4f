"""Chat benchmark: signed "本周有什么任务" DingTalk callbacks against the bot under gunicorn (SQLite,
a 300-task plan), side by side with a bare Flask endpoint on the same server in the same run.

Reports callbacks/s at full load, answers *delivered* per second (counted where they arrive, the fake
sessionWebhook: the bot acknowledges before it answers), both min–max over three runs, and p50/p99 latency
at a paced 100 requests/s; targets: callbacks bot/bare >= 0.6, p99 < 50 ms at 100 requests/s.
"""
from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests

from bench.plan_import import synthetic_plan
from bot.platforms.dingtalk import sign

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"
WORKERS = 2
CLIENT_THREADS = 8
RUNS = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server_process(args: list[str], ready_path: str, env: dict | None = None):
    """Start a server subprocess on a free loopback port (args get the port); yields its URL once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, *[a.format(port=port) for a in args]], cwd=ROOT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + ready_path)
        yield url
    finally:
        process.terminate()   # gunicorn finishes queued answers first (graceful timeout 30 s)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def gunicorn(app: str, env: dict):
    return server_process(["-m", "gunicorn", "-w", str(WORKERS), "--threads", "4", "-b", "127.0.0.1:{port}",
                           "--log-level", "warning", app], "/healthz", env)


def fake_webhook():
    return server_process(["-m", "bench.fake_webhook", "{port}"], "/received")


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:  # still booting
            time.sleep(0.2)


def body(webhook: str) -> bytes:
    now = int(time.time() * 1000)
    return json.dumps({
        "conversationId": "bench", "msgId": uuid.uuid4().hex, "senderNick": "王老师", "senderStaffId": "s1",
        "createAt": now, "sessionWebhookExpiredTime": now + 5_400_000, "conversationType": "2",
        "sessionWebhook": webhook, "text": {"content": "本周有什么任务"}, "msgtype": "text",
    }, ensure_ascii=False).encode()


def one_request(session: requests.Session, url: str, webhook: str) -> float:
    timestamp = str(int(time.time() * 1000))
    headers = {"timestamp": timestamp, "sign": sign(timestamp, SECRET), "Content-Type": "application/json"}
    started = time.perf_counter()
    response = session.post(url + "/dingtalk/callback", data=body(webhook), headers=headers, timeout=10)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}")
    return elapsed


def full_load(url: str, webhook: str, seconds: float = 5.0) -> tuple[int, float]:
    count, lock, stop = [0], threading.Lock(), time.monotonic() + seconds

    def worker():
        session = requests.Session()
        while time.monotonic() < stop:
            one_request(session, url, webhook)
            with lock:
                count[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(CLIENT_THREADS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count[0], time.monotonic() - started


def delivered(fake_url: str) -> int:
    return requests.get(fake_url + "/received", timeout=5).json()["count"]


def answers_rate(url: str, webhook: str, fake_url: str, seconds: float = 5.0) -> tuple[float, float]:
    """Callbacks per second, and answers *delivered* per second: the bot acknowledges a callback before it
    answers, so the answers are counted where they arrive (the fake sessionWebhook), until all have come."""
    before = delivered(fake_url)
    started = time.monotonic()
    sent, elapsed = full_load(url, webhook, seconds)
    deadline = time.monotonic() + 120
    while delivered(fake_url) < before + sent and time.monotonic() < deadline:
        time.sleep(0.05)
    answered = delivered(fake_url) - before
    return sent / elapsed, answered / (time.monotonic() - started)


def paced(url: str, webhook: str, rate: int = 100, seconds: float = 5.0) -> list[float]:
    latencies, lock = [], threading.Lock()
    interval, total = 1.0 / rate, int(rate * seconds)
    start = time.monotonic()

    def worker(offset: int):
        session = requests.Session()
        for i in range(offset, total, CLIENT_THREADS):
            delay = start + i * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            latency = one_request(session, url, webhook)
            with lock:
                latencies.append(latency)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(CLIENT_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def measure(name: str, url: str, webhook: str, fake_url: str | None = None) -> dict:
    """fake_url: where the bot's answers arrive (the bare endpoint answers nothing)."""
    for _ in range(20):
        one_request(requests.Session(), url, webhook)  # warm up
    if fake_url is not None:
        time.sleep(1)   # the warm-up's answers land first
        rates = [answers_rate(url, webhook, fake_url) for _ in range(RUNS)]
        rps, answers = [r[0] for r in rates], [r[1] for r in rates]
    else:
        rps, answers = [n / elapsed for n, elapsed in (full_load(url, webhook) for _ in range(RUNS))], []
    latencies = sorted(paced(url, webhook))
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    delivered_text = f"; answers delivered {min(answers):.0f}–{max(answers):.0f}/s" if answers else ""
    print(f"{name:<6} callbacks {min(rps):.0f}–{max(rps):.0f}/s at full load{delivered_text}; "
          f"at 100 req/s: p50 {p50:5.1f} ms, p99 {p99:5.1f} ms")
    return {"rps": rps, "answers": answers, "p50": p50, "p99": p99}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, fake_webhook() as fake_url:
        plan = Path(tmp) / "plan.txt"
        plan.write_bytes(synthetic_plan(300))
        env = {"SCHOOLBOT_DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SCHOOLBOT_DINGTALK_APP_SECRET": SECRET,
               "SCHOOLBOT_DINGTALK_SESSION_WEBHOOK_BASE": fake_url, "SCHOOLBOT_CONFIG": os.devnull}
        subprocess.run([sys.executable, "-m", "bot", "plan", "import", str(plan)], cwd=ROOT, env={**os.environ, **env},
                       check=True, capture_output=True)
        webhook = f"{fake_url}/robot/sendBySession?session=bench"
        print(f"== chat callbacks: gunicorn, {WORKERS} workers x 4 threads, {CLIENT_THREADS} client threads, 300-task plan ==")
        with gunicorn("bench.bare:app", env) as url:
            bare = measure("bare", url, webhook)
        with gunicorn("bot.app:create_app()", env) as url:
            bot = measure("bot", url, webhook, fake_url)
        ratios = [b / statistics.median(bare["rps"]) for b in bot["rps"]]
        print(f"callbacks bot/bare: {min(ratios):.2f}–{max(ratios):.2f} (target >= 0.6); answers delivered / bare "
              f"callbacks: {min(bot['answers']) / statistics.median(bare['rps']):.2f}–"
              f"{max(bot['answers']) / statistics.median(bare['rps']):.2f}; "
              f"bot p99 at 100 req/s: {bot['p99']:.1f} ms (target < 50 ms); answers received in all: {delivered(fake_url)}")


if __name__ == "__main__":
    main()
