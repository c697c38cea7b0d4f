"""kill -9 in the middle of a dispatch pass: after a restart nothing is lost, and only the pushes
that were in flight at the kill (at most one per group) can arrive twice."""
from __future__ import annotations

import signal
import subprocess
import sys
from collections import Counter

from tests.commands import run_bot
from tests.conftest import ROOT
from tests.servers import FakeRobot, serving, wait_until

EVENTS = 8


def test_kill_dash_nine_mid_pass_loses_nothing(tmp_path):
    robot = FakeRobot()
    robot.delay = 0.25
    plan = tmp_path / "plan.txt"
    plan.write_text("2026-2027学年第一学期工作计划\n十月份活动\n" +
                    "\n".join(f"{i}.10月13日 第{i}项活动" for i in range(1, EVENTS + 1)), encoding="utf-8")
    with serving(robot.app) as url:
        config = tmp_path / "config.yaml"
        config.write_text(
            f"database: {{url: 'sqlite:///{tmp_path / 'bot.db'}'}}\n"
            "school: {name: 青禾小学, terms: [{name: 第一学期, start: 2026-09-01, end: 2027-01-22}]}\n"
            "scheduler_id: reminders-1\n"   # the restart is the same instance: it resumes its lease at once
            "groups:\n"
            f"  - {{name: 甲群, platform: dingtalk, webhook: '{url}/dingtalk/robot/send?access_token=a', secret: {FakeRobot.SECRET}}}\n"
            f"  - {{name: 乙群, platform: wecom, webhook: '{url}/wecom/webhook/send?key=b'}}\n",
            encoding="utf-8",
        )
        imported = run_bot("plan", "import", plan, "--config", config)
        assert imported.returncode == 0, imported.stderr
        remind = [sys.executable, "-m", "bot", "remind", "--now", "2026-10-12T16:01", "--config", str(config)]

        first = subprocess.Popen(remind, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: len(robot.received) >= 4, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        received_at_kill = len(robot.received)
        assert 4 <= received_at_kill < 2 * EVENTS, "the kill must land mid-pass"

        robot.delay = 0   # the restart need not be slow: what it owes is what is checked
        again = subprocess.run(remind, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        assert wait_until(lambda: robot.in_flight == 0)   # a push in flight at the kill may still be landing

    texts = Counter(
        (r["platform"], (r["body"]["markdown"].get("text") or r["body"]["markdown"]["content"]))
        for r in robot.received
    )
    expected = {(p, f"明天（10月13日 周二）：#{n} 第{n}项活动") for p in ("dingtalk", "wecom") for n in range(1, EVENTS + 1)}
    assert set(texts) == expected                       # nothing lost, nothing else
    repeats = {key: count for key, count in texts.items() if count > 1}
    assert all(count == 2 for count in repeats.values())
    assert len(repeats) <= 2                            # at most the one in flight per group
