"""Reminder passes end to end: the real database ledger, pushes to fake robot webhooks on 127.0.0.1."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

import bot.platforms.robots as robots
from bot.config import RobotGroup, SchoolSettings, Settings, Term
from bot.plan_import import import_file
from bot.reminders.groups import reminder_groups
from bot.reminders.passes import LAST_PASS, plan_pass, record_pass
from bot.reminders.sending import send_outstanding
from storage import chats, deliveries, plans
from tests.conftest import ROOT
from tests.servers import FakeRobot, serving

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def school(sqlite_database):
    robot = FakeRobot()
    with serving(robot.app) as url:
        settings = Settings(
            school=SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)),
            groups=(RobotGroup("全体教师群", "dingtalk", f"{url}/dingtalk/robot/send?access_token=t", FakeRobot.SECRET),
                    RobotGroup("教务处", "wecom", f"{url}/wecom/webhook/send?key=k")),
        )
        import_file(ROOT / "examples" / "sample_plan.docx", settings, sqlite_database)
        school_id = plans.ensure_school(sqlite_database, settings.school.name)
        chats.sync_robot_groups(sqlite_database, school_id, settings.groups)

        def run_pass(when: datetime):
            record_pass(plan_pass(when, settings, sqlite_database), sqlite_database)
            return send_outstanding(when, settings, sqlite_database, requests.Session())

        yield run_pass, robot, sqlite_database


def monday_morning() -> datetime:
    return datetime(2026, 10, 12, 7, 31, tzinfo=TZ)


def test_a_pass_pushes_signed_digests_and_reminders_once(school):
    run_pass, robot, _ = school
    report = run_pass(monday_morning())
    assert report.sent == 6 and robot.rejected == []   # digest, morning, recurring: to both groups
    kinds = sorted(r["body"]["markdown"].get("title", "wecom") for r in robot.received)
    assert kinds.count("校务提醒") == 2
    digest = next(r for r in robot.received if r["platform"] == "dingtalk" and r["body"]["markdown"]["text"].startswith("#### 本周"))
    assert "秋季田径运动会" in digest["body"]["markdown"]["text"]
    assert any(r["platform"] == "wecom" and "content" in r["body"]["markdown"] for r in robot.received)
    again = run_pass(monday_morning() + timedelta(minutes=1))
    assert again.sent == 0 and len(robot.received) == 6


def test_throttled_and_failing_pushes_are_retried_later(school):
    run_pass, robot, db = school
    robot.script = ["throttle", "500"]
    first = run_pass(monday_morning())
    assert (first.sent, first.retrying) == (4, 2)
    assert run_pass(monday_morning() + timedelta(seconds=20)).sent == 0   # backoff not over yet
    later = run_pass(monday_morning() + timedelta(minutes=5))
    assert later.sent == 2 and len(robot.received) == 6


def test_a_hanging_robot_does_not_hold_up_the_other_group(school, monkeypatch):
    run_pass, robot, _ = school
    monkeypatch.setattr(robots, "TIMEOUT_S", 0.5)
    robot.script = ["hang"]
    report = run_pass(monday_morning())
    assert report.sent == 5 and report.retrying == 1


def test_reminders_missed_while_down_are_folded_into_one_note(school):
    run_pass, robot, db = school
    deliveries.set_mark(db, LAST_PASS, datetime(2026, 10, 12, 7, 0, tzinfo=TZ))
    report = run_pass(datetime(2026, 10, 13, 17, 0, tzinfo=TZ))   # down since Monday 07:00
    texts = [r["body"]["markdown"].get("text") or r["body"]["markdown"]["content"] for r in robot.received]
    assert sum("离线期间" in t for t in texts) == 2          # one note per group
    assert sum("明天（10月14日" in t for t in texts) == 2    # Tuesday 16:00 eve reminder is within the grace window
    assert not any(t.startswith("#### 本周") for t in texts)  # Monday's digest was folded, not sent late
    assert report.failed == 0


def test_a_group_whose_robot_rejects_us_is_reported(school):
    run_pass, robot, db = school
    with db.transaction() as s:
        from storage.models import ChatGroup
        group = s.query(ChatGroup).filter_by(name="全体教师群").one()
        group.webhook_secret = "SECwrong"
    report = run_pass(monday_morning())
    assert "全体教师群" in report.failing_groups and report.failed == 3 and report.sent == 3


def test_only_one_scheduler_holds_the_lease(database):
    now = datetime(2026, 10, 12, 8, 0, tzinfo=TZ)
    assert deliveries.take_lease(database, "lease", "host-a:1", now, 180)
    assert not deliveries.take_lease(database, "lease", "host-b:2", now + timedelta(seconds=30), 180)
    assert deliveries.take_lease(database, "lease", "host-a:1", now + timedelta(seconds=60), 180)   # renewal
    assert deliveries.take_lease(database, "lease", "host-b:2", now + timedelta(minutes=10), 180)   # a's lapsed


def test_run_pass_defers_to_the_lease_holder(school):
    from bot.reminders import runner
    run_pass, robot, db = school
    deliveries.take_lease(db, runner.LEASE, "someone-else:9", monday_morning(), 600)
    settings = Settings(school=SchoolSettings(name="青禾小学"))
    assert runner.run_pass(monday_morning(), settings, db) is None
    assert robot.received == []


def test_the_admin_group_hears_of_a_failing_robot_once_a_day(school):
    from bot.reminders import runner
    _, robot, db = school
    with db.transaction() as s:
        from storage.models import ChatGroup
        s.query(ChatGroup).filter_by(name="全体教师群").one().webhook_secret = "SECwrong"
    groups = reminder_groups(db)
    settings = Settings(
        school=SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)),
        groups=tuple(RobotGroup(g.name, g.platform, g.webhook_url, g.webhook_secret or "") for g in groups if g.name == "教务处"),
        admin_group="教务处",
    )
    assert runner.run_pass(monday_morning(), settings, db)
    alerts = [r for r in robot.received if "多次推送失败" in r["body"]["markdown"].get("content", "")]
    assert len(alerts) == 1 and "全体教师群" in alerts[0]["body"]["markdown"]["content"]
    runner.run_pass(monday_morning() + timedelta(hours=8), settings, db)   # eve reminders fail again the same day
    assert sum("多次推送失败" in r["body"]["markdown"].get("content", "") for r in robot.received) == 1


def test_reminders_mention_the_people_the_plan_names(school):
    run_pass, robot, db = school
    from storage.models import Member, MemberRole
    with db.transaction() as s:
        school_id = plans.ensure_school(db, "青禾小学")
        staff = [Member(school_id=school_id, name="李老师", department="教务处", mobile="13800000001", wecom_user_id="lisi"),
                 Member(school_id=school_id, name="赵老师", department="教务处", dingtalk_user_id="staff-zhao", wecom_user_id="zhao"),
                 Member(school_id=school_id, name="钱老师", department="德育处", dingtalk_user_id="staff-qian")]
        s.add_all(staff)
        s.flush()
        s.add(MemberRole(member_id=staff[2].id, role="班主任"))   # not named by the task: not mentioned
    run_pass(monday_morning())
    morning = [r for r in robot.received if "各学科作业展评" in (r["body"]["markdown"].get("text") or r["body"]["markdown"].get("content"))
               and "今天" in (r["body"]["markdown"].get("text") or r["body"]["markdown"].get("content"))]
    ding = next(r["body"] for r in morning if r["platform"] == "dingtalk")
    assert ding["at"] == {"atMobiles": ["13800000001"], "atUserIds": ["staff-zhao"], "isAtAll": False}
    assert ding["markdown"]["text"].endswith("@13800000001 @staff-zhao")
    wecom = next(r["body"] for r in morning if r["platform"] == "wecom")
    assert wecom["markdown"]["content"].endswith("<@lisi> <@zhao>")


def test_the_remind_command_respects_a_live_scheduler(sqlite_database, tmp_path):
    from bot.reminders.runner import LEASE
    from tests.commands import run_bot
    config = tmp_path / "c.yaml"
    config.write_text(f"database: {{url: '{sqlite_database.url}'}}\nscheduler_id: instance-b\n", encoding="utf-8")
    now = datetime.now(TZ)
    deliveries.take_lease(sqlite_database, LEASE, "instance-a", now, 600)
    result = run_bot("remind", "--config", config)
    assert result.returncode == 3 and "holds the lease" in result.stderr
