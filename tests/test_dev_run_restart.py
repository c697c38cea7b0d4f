"""`python3 dev.py run` as the office meets it: the first start loads the sample plan and asks for
set-up; the office sets up, deletes a task and corrects another; after a restart nothing of that
is undone and the sample is not imported again. A real process on loopback, killed and restarted."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.servers import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "restart-test-password"


def start(tmp_path: Path, port: int, log: Path) -> subprocess.Popen:
    environ = {**os.environ, "SCHOOLBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'school.db'}", "SCHOOLBOT_PORT": str(port),
               "SCHOOLBOT_CONFIG": str(tmp_path / "config.yaml")}
    process = subprocess.Popen([sys.executable, "dev.py", "run"], cwd=ROOT, env=environ, stdout=log.open("ab"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    if not wait_until_healthy(f"http://127.0.0.1:{port}", process, 120):
        pytest.fail(f"dev.py run did not answer within 120 s: {log.read_text(encoding='utf-8')[-2000:]}")
    return process


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)   # as a power cut would: nothing gets to tidy up
    process.wait(timeout=30)


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def task_rows(session: requests.Session, base: str) -> dict[int, str]:
    page = session.get(f"{base}/admin/tasks", timeout=10).text
    return {int(n): title.strip() for n, title in re.findall(r'<tr id="task-(\d+)">.*?<td>#\d+</td>\s*<td>.*?</td>\s*<td>(.*?)</td>', page, re.S)}


def test_a_restart_never_undoes_the_office_s_corrections(tmp_path):
    (tmp_path / "config.yaml").write_text("{}\n", encoding="utf-8")   # no config: what a new school has
    port, log = free_port(), tmp_path / "run.log"
    base = f"http://127.0.0.1:{port}"
    process = start(tmp_path, port, log)
    try:
        office = requests.Session()
        page = office.get(f"{base}/admin/setup", timeout=10).text
        code = re.search(r"设置码 (\d{4}-\d{4})", log.read_text(encoding="utf-8")).group(1)
        terms = dict(re.findall(r'name="(term\d_(?:name|start|end|original))" value="([^"]*)"', page))
        done = office.post(f"{base}/admin/setup", data=terms | {"csrf_token": csrf(page), "code": code, "school_name": "临湖小学",
                                                             "password": PASSWORD, "password_again": PASSWORD, "days_off": ""}, timeout=10)
        assert "设置完成" in done.text and "临湖小学" in done.text
        before = task_rows(office, base)
        assert len(before) > 10
        gone, corrected = sorted(before)[:2]
        ids = dict(re.findall(r'<tr id="task-(\d+)">.*?href="/admin/tasks/(\d+)"', office.get(f"{base}/admin/tasks", timeout=10).text, re.S))
        form = office.get(f"{base}/admin/tasks/{ids[str(gone)]}", timeout=10).text
        office.post(f"{base}/admin/tasks/{ids[str(gone)]}/delete", data={"csrf_token": csrf(form)}, timeout=10)
        form = office.get(f"{base}/admin/tasks/{ids[str(corrected)]}", timeout=10).text
        office.post(f"{base}/admin/tasks/{ids[str(corrected)]}", data={"csrf_token": csrf(form), "title": "办公室改过的标题",
                                                                         "start": "2026-11-11", "end": "2026-11-11", "owner": "教务处"}, timeout=10)
        after = task_rows(office, base)
        assert gone not in after and after[corrected].startswith("办公室改过的标题") and "已修改" in after[corrected]
    finally:
        stop(process)

    process = start(tmp_path, port, log)
    try:
        office = requests.Session()
        login = office.get(f"{base}/admin/login", timeout=10).text
        office.post(f"{base}/admin/login", data={"csrf_token": csrf(login), "password": PASSWORD}, timeout=10)
        assert task_rows(office, base) == after                          # same tasks, same numbers, same corrections
        assert "临湖小学" in office.get(f"{base}/admin/", timeout=10).text
        assert "没有再导入示例计划" in log.read_text(encoding="utf-8")
    finally:
        stop(process)
