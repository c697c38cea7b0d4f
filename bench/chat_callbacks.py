"""Chat benchmark: signed "本周有什么任务" DingTalk callbacks against the bot under gunicorn (SQLite,
a 300-task plan), side by side with a bare Flask endpoint on the same server in the same run.

Reports requests/s at full load and p50/p99 latency at a paced 100 requests/s; the figure
that matters is the ratio bot/bare (target >= 0.5) and p99 < 50 ms at 100 requests/s.
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


def full_load(url: str, webhook: str, seconds: float = 5.0) -> float:
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
    return count[0] / (time.monotonic() - started)


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


def measure(name: str, url: str, webhook: str) -> dict:
    for _ in range(20):
        one_request(requests.Session(), url, webhook)  # warm up
    rps = full_load(url, webhook)
    latencies = sorted(paced(url, webhook))
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"{name:<6} {rps:8.0f} req/s at full load; at 100 req/s: p50 {p50:5.1f} ms, p99 {p99:5.1f} ms")
    return {"rps": rps, "p50": p50, "p99": p99}


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
            bot = measure("bot", url, webhook)
        print(f"ratio bot/bare: {bot['rps'] / bare['rps']:.2f} (target >= 0.5); "
              f"bot p99 at 100 req/s: {bot['p99']:.1f} ms (target < 50 ms); "
              f"replies received: {requests.get(fake_url + '/received', timeout=5).json()['count']}")


if __name__ == "__main__":
    main()
