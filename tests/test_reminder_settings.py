"""Reminder settings changed by admins in chat, and reminders through the DingTalk enterprise robot
(the OpenAPI, with dingtalk-sdk's access tokens) to a fake DingTalk server on 127.0.0.1."""
from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from bot.config import DingTalkSettings, RobotGroup, SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.logs import RedactingFormatter, configure_logging
from bot.messages import IncomingMessage
from bot.plan_import import import_file
from bot.reminder_rules.planning import ReminderSettings
from bot.reminder_rules.setting_words import parse_setting_words, reminder_settings
from bot.reminders.passes import plan_pass, record_pass
from bot.reminders.sending import send_outstanding
from storage import chats
from tests.conftest import ROOT
from tests.servers import FakeDingTalkOpenApi, FakeRobot, serving

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_0731 = datetime(2026, 10, 12, 7, 31, tzinfo=TZ)
TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))


@pytest.mark.parametrize("words, expected", [
    ("周报 8:00", {"digest_time": "08:00"}),
    ("周报 关", {"digest": False}),
    ("前一天提醒 开 17点", {"eve": True, "eve_time": "17:00"}),
    ("当天 7点半", {"morning_time": "07:30"}),
    ("截止 5,2,1", {"deadline_days": [5, 2, 1]}),
    ("截止 1、3天", {"deadline_days": [3, 1]}),
    ("截止 8:15", {"deadline_time": "08:15"}),
    ("免打扰 22:00-6:30", {"quiet_start": "22:00", "quiet_end": "06:30"}),
    ("周报8:00，前一天关；例行 关", {"digest_time": "08:00", "eve": False, "recurring": False}),
    ("提醒 关", {"enabled": False}),
])
def test_setting_words(words, expected):
    assert parse_setting_words(words).changes == expected


@pytest.mark.parametrize("words", ["周报 25:00", "免打扰 22:00", "截止 0,40", "提醒 8:00", "周报 下午", "哈哈 周报 关"])
def test_bad_setting_words_change_nothing(words):
    parsed = parse_setting_words(words)
    assert parsed.error and parsed.changes == {}


def test_stored_settings_read_back_over_the_defaults():
    stored = parse_setting_words("周报 8:00 截止 5,2 免打扰 22:00-6:30 催报 关").changes
    settings = reminder_settings(stored)
    assert (settings.digest_time.hour, settings.deadline_days, settings.quiet_end.minute, settings.chase) == (8, (5, 2), 30, False)
    assert settings.eve_time == ReminderSettings().eve_time


class School:
    """One school with its plan, a webhook group and a fake DingTalk server; chat goes through the dispatcher."""

    def __init__(self, db, robot_url: str, openapi_url: str) -> None:
        self.db = db
        self.settings = Settings(
            school=SchoolSettings(name="青禾小学", terms=(TERM,)),
            dingtalk=DingTalkSettings(app_key="ding-app", app_secret="app-secret-value", oapi_base=openapi_url, api_base=openapi_url),
            groups=(RobotGroup("全体教师群", "dingtalk", f"{robot_url}/dingtalk/robot/send?access_token=t", FakeRobot.SECRET),),
        )
        import_file(ROOT / "examples" / "sample_plan.docx", self.settings, db)
        self.dispatcher = Dispatcher(self.settings, db)
        chats.sync_robot_groups(db, self.dispatcher.school_id, self.settings.groups)

    def say(self, text: str, admin: bool = True, conversation: str = "cid-grade3", platform: str = "dingtalk") -> str:
        message = IncomingMessage(platform, uuid.uuid4().hex, conversation, "staff-1", "王老师", text, MONDAY_0731 - timedelta(days=1),
                                  is_group=True, is_admin=admin, chat_name="三年级组")
        return self.dispatcher.handle(message).markdown

    def run_pass(self, when: datetime, http: requests.Session | None = None):
        record_pass(plan_pass(when, self.settings, self.db), self.db)
        return send_outstanding(when, self.settings, self.db, http or requests.Session())


@pytest.fixture
def school(database):
    robot, openapi = FakeRobot(), FakeDingTalkOpenApi("ding-app", "app-secret-value", "ding-app")
    with serving(robot.app) as robot_url, serving(openapi.app) as openapi_url:
        yield School(database, robot_url, openapi_url), robot, openapi


def test_anyone_sees_the_settings_only_admins_change_them(school):
    s, _, _ = school
    shown = s.say("提醒设置", admin=False)
    assert "“三年级组”的提醒设置" in shown and "本群目前不接收提醒" in shown and "周报：开，每周第一个上课日 07:30" in shown
    assert "只有管理员" in s.say("提醒设置 周报 8:00", admin=False)
    assert "周报：开，每周第一个上课日 07:30" in s.say("提醒设置")
    assert "周报：开，每周第一个上课日 08:00" in s.say("提醒设置 周报 8:00")
    assert "没有修改" in s.say("提醒设置 周报 25:00") and "08:00" in s.say("提醒设置")


def test_a_webhook_group_is_changed_by_name_and_the_next_pass_follows(school):
    s, robot, _ = school
    assert "前一天提醒：关" in s.say("提醒设置 全体教师群 周报 8:00 前一天 关")
    s.run_pass(MONDAY_0731)
    assert not any(r["body"]["markdown"]["text"].startswith("#### 本周") for r in robot.received)   # digest moved to 08:00
    s.run_pass(MONDAY_0731 + timedelta(minutes=30))
    assert sum(r["body"]["markdown"]["text"].startswith("#### 本周") for r in robot.received) == 1
    tuesday = MONDAY_0731 + timedelta(days=1)
    s.run_pass(tuesday)
    s.run_pass(tuesday + timedelta(hours=8, minutes=30))   # 16:01: the eve reminder of 10月14日 would be due, but eve is off
    assert not any(r["body"]["markdown"]["text"].startswith("明天") for r in robot.received)
    sent_before = len(robot.received)
    s.say("提醒设置 全体教师群 提醒 关")
    s.run_pass(tuesday + timedelta(days=1))
    assert len(robot.received) == sent_before


def test_a_dingtalk_group_switched_on_gets_reminders_through_the_enterprise_robot(school):
    s, robot, openapi = school
    assert "通过钉钉应用机器人推送" in s.say("开启提醒")
    http = requests.Session()
    report = s.run_pass(MONDAY_0731, http)
    to_group = [m for m in openapi.sent if m["conversation"] == "cid-grade3"]
    assert report.failed == 0 and len(to_group) == 3 and openapi.refused == []   # the same three the webhook group gets
    assert any(m["param"]["text"].startswith("#### 本周") and m["param"]["title"] for m in to_group)
    tuesday = MONDAY_0731 + timedelta(days=1)
    s.run_pass(tuesday, http)
    s.run_pass(tuesday + timedelta(hours=8, minutes=30), http)   # 16:01
    assert any(m["param"]["text"].startswith("明天（10月14日") for m in openapi.sent)
    assert openapi.tokens_issued == 1      # one token served every pass
    s.say("关闭提醒")
    sent = len(openapi.sent)
    s.run_pass(tuesday + timedelta(days=1), http)
    assert len(openapi.sent) == sent


def test_enterprise_robot_throttle_and_expired_token(school):
    s, _, openapi = school
    s.say("开启提醒")
    openapi.script = ["expired", "throttle"]
    report = s.run_pass(MONDAY_0731)
    assert openapi.tokens_issued == 2           # the refused token was fetched anew, once
    assert report.retrying == 1 and len(openapi.sent) == 2
    assert s.run_pass(MONDAY_0731 + timedelta(minutes=5)).sent == 1 and len(openapi.sent) == 3


def test_wrong_app_credentials_fail_without_logging_the_secret(school, caplog):
    s, _, openapi = school
    s.say("开启提醒")
    s.settings = Settings(school=s.settings.school, groups=s.settings.groups,
                          dingtalk=DingTalkSettings(app_key="ding-app", app_secret="wrong-secret-value",
                                                    oapi_base=s.settings.dingtalk.oapi_base, api_base=s.settings.dingtalk.api_base))
    configure_logging("DEBUG")
    with caplog.at_level(logging.DEBUG):
        report = s.run_pass(MONDAY_0731 + timedelta(days=7))
    assert report.retrying == report.sent == 2 and openapi.sent == []   # the webhook group is unaffected
    assert "wrong-secret-value" not in caplog.text


def test_secrets_in_urls_are_masked_in_log_lines():
    record = logging.LogRecord("urllib3", logging.DEBUG, __file__, 1, "%s %s", (
        "POST /robot/send?access_token=abc123&timestamp=1&sign=xyz%3D", "GET /gettoken?appkey=k&appsecret=s3cret"), None)
    line = RedactingFormatter("%(message)s").format(record)
    assert "abc123" not in line and "xyz" not in line and "s3cret" not in line and "timestamp=1" in line


def test_switching_on_where_the_robot_cannot_post(school):
    s, _, _ = school
    assert "企业微信的群请添加“群机器人”" in s.say("开启提醒", platform="wecom")
    bare = Dispatcher(Settings(school=SchoolSettings(name="青禾小学")), s.db)
    message = IncomingMessage("dingtalk", "m-1", "cid-9", "staff-1", "王老师", "开启提醒", MONDAY_0731, is_admin=True)
    assert "缺少 dingtalk.app_key" in bare.handle(message).markdown
