"""Status by reply end to end: signed DingTalk and encrypted WeCom callbacks to the running app,
and the deadline-morning chase pushed to a fake robot on 127.0.0.1."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from bot.app import REPLY_WORKERS, create_app
from bot.config import DingTalkSettings, RobotGroup, SchoolSettings, Settings, Term, WeComSettings
from bot.members import import_roster_file
from bot.plan_import import import_file
from bot.reminders.groups import reminder_groups
from bot.reminders.passes import plan_pass, record_pass
from bot.reminders.sending import send_outstanding
from storage import chats, plans, status
from tests import test_dingtalk as dingtalk
from tests import test_wecom as wecom
from tests.servers import FakeDingTalk, FakeRobot, FakeWeComApi, drain, serving
from tests.test_status import PLAN, ROSTER

TZ = ZoneInfo("Asia/Shanghai")
TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))


@pytest.fixture
def school(sqlite_database, tmp_path):
    fake_dingtalk, fake_wecom, robot = FakeDingTalk(), FakeWeComApi(wecom.CORP, wecom.SECRET), FakeRobot()
    with serving(fake_dingtalk.app) as dingtalk_url, serving(fake_wecom.app) as wecom_url, serving(robot.app) as robot_url:
        settings = Settings(
            school=SchoolSettings(name="青禾小学", terms=(TERM,)),
            dingtalk=DingTalkSettings(app_secret=dingtalk.SECRET, session_webhook_base=dingtalk_url),
            wecom=WeComSettings(corp_id=wecom.CORP, agent_id="1000002", secret=wecom.SECRET, token=wecom.TOKEN,
                                encoding_aes_key=wecom.KEY, api_base=wecom_url),
            groups=(RobotGroup("全体教师群", "dingtalk", f"{robot_url}/dingtalk/robot/send?access_token=t", FakeRobot.SECRET),),
        )
        (tmp_path / "计划.txt").write_text(PLAN, encoding="utf-8")
        (tmp_path / "名单.csv").write_text(ROSTER, encoding="utf-8")
        import_file(tmp_path / "计划.txt", settings, sqlite_database)
        import_roster_file(tmp_path / "名单.csv", settings, sqlite_database)
        chats.sync_robot_groups(sqlite_database, plans.ensure_school(sqlite_database, "青禾小学"), settings.groups)
        numbers = {t.title: t.number for t in plans.list_tasks(sqlite_database, plans.ensure_school(sqlite_database, "青禾小学"))}
        app = create_app(settings, sqlite_database)
        with serving(app) as app_url:
            school = _School(settings, sqlite_database, app, app_url, dingtalk_url, fake_dingtalk, robot, numbers)
            yield school
            school.settle()


class _School:
    def __init__(self, settings, db, app, app_url, dingtalk_url, fake_dingtalk, robot, numbers):
        self.settings, self.db, self.app, self.app_url, self.dingtalk_url = settings, db, app, app_url, dingtalk_url
        self.fake_dingtalk, self.robot, self.numbers = fake_dingtalk, robot, numbers

    def settle(self) -> None:
        """Every reply the app has taken on is posted (or given up)."""
        drain(self.app.extensions["schoolbot.executor"], REPLY_WORKERS)

    def n(self, words: str) -> int:
        return next(number for title, number in self.numbers.items() if words in title)

    def task_id(self, number: int) -> int:
        return plans.get_task_by_number(self.db, plans.ensure_school(self.db, "青禾小学"), number).id

    def dingtalk(self, staff: str, nick: str, words: str, msg_id: str, **extra) -> str:
        """The reply to this callback, or "" when it gets none (read once the app has answered all it took on)."""
        body = dingtalk.callback_body(self.dingtalk_url, words, msg_id=msg_id)
        body.update(senderStaffId=staff, senderNick=nick, **extra)
        before = len(self.fake_dingtalk.received)
        assert dingtalk.post(self.app_url, body).status_code == 200
        self.settle()
        received = self.fake_dingtalk.received
        assert len(received) <= before + 1, received[before:]
        return received[-1]["body"]["markdown"]["text"] if len(received) > before else ""

    def pass_at(self, when: datetime):
        record_pass(plan_pass(when, self.settings, self.db), self.db)
        return send_outstanding(when, self.settings, self.db, requests.Session())


def test_report_undo_and_progress_through_signed_dingtalk_callbacks(school):
    visits = school.n("家访")
    assert "已记录：王芳" in school.dingtalk("dt-wang", "王芳", f"完成 {visits}", "m-1")
    assert "已记录：李强" in school.dingtalk("dt-li", "李强", f"{visits} 有困难，缺少车辆", "m-2")
    progress = school.dingtalk("dt-chen", "陈杰", f"{visits} 进度", "m-3")
    assert "1/2 已完成，1 有困难" in progress and "王芳" in progress and "缺少车辆" in progress
    assert "已撤销" in school.dingtalk("dt-wang", "王芳", f"撤销 {visits}", "m-4")
    assert "0/2 已完成" in school.dingtalk("dt-chen", "陈杰", f"{visits} 进度", "m-5")
    assert status.report_count(school.db, school.task_id(visits)) == 3


def test_permissions_through_dingtalk(school):
    visits = school.n("家访")
    assert "只能上报自己的进度" in school.dingtalk("dt-wang", "王芳", f"完成 {visits} 李强", "m-1")
    assert "不在" in school.dingtalk("dt-chen", "陈杰", f"完成 {visits}", "m-2")
    assert "已记录：李强" in school.dingtalk("dt-boss", "校长", f"完成 {visits} 李强", "m-3", isAdmin=True)   # a DingTalk admin
    assert status.report_count(school.db, school.task_id(visits)) == 1


def test_a_redelivered_dingtalk_report_is_recorded_once(school):
    visits = school.n("家访")
    assert "已记录" in school.dingtalk("dt-wang", "王芳", f"完成 {visits}", "same-id")
    assert school.dingtalk("dt-wang", "王芳", f"完成 {visits}", "same-id") == ""   # no second answer
    assert status.report_count(school.db, school.task_id(visits)) == 1


def test_a_quoted_reminder_names_the_task(school):
    visits = school.n("家访")
    quote = {"content": "已完成", "isReplyMsg": True,
             "repliedMsg": {"msgType": "markdown", "msgId": "r-1", "content": {"text": f"明天（10月20日）：#{visits} 各班主任提交家访记录"}}}
    assert "已记录：王芳" in school.dingtalk("dt-wang", "王芳", "已完成", "m-1", text=quote)


def test_reports_through_encrypted_wecom_callbacks(school):
    review = school.n("命题审核")
    reply = wecom.open_reply(wecom.post(school.app_url, wecom.message_xml(f"{review} 已完成", msg_id="5001", sender="wx-zhao")))
    assert "已记录：赵敏" in reply.findtext("Content") and "1/1 已完成" in reply.findtext("Content")
    again = wecom.post(school.app_url, wecom.message_xml(f"{review} 已完成", msg_id="5001", sender="wx-zhao"))
    assert again.status_code == 200 and "Encrypt" not in again.text      # a redelivery: answered once
    assert status.report_count(school.db, school.task_id(review)) == 1
    progress = wecom.open_reply(wecom.post(school.app_url, wecom.message_xml(f"{review} 进度", msg_id="5002", sender="wx-wang")))
    assert "教务处（赵敏）" in progress.findtext("Content")


def test_the_deadline_morning_chases_those_who_have_not_reported_once(school):
    visits = school.n("家访")                                    # due 10月20日, owned by 班主任
    school.dingtalk("dt-wang", "王芳", f"完成 {visits}", "m-1")
    morning = datetime(2026, 10, 20, 8, 1, tzinfo=TZ)
    school.pass_at(morning - timedelta(minutes=10))
    school.pass_at(morning)
    chases = [r["body"] for r in school.robot.received if r["body"]["markdown"]["title"] == "今天截止"]
    assert len(chases) == 1
    assert "还没有上报的：李强" in chases[0]["markdown"]["text"] and "王芳" not in chases[0]["markdown"]["text"]
    assert chases[0]["at"]["atMobiles"] == ["13800000002"]
    school.pass_at(morning + timedelta(minutes=5))
    assert sum(r["body"]["markdown"]["title"] == "今天截止" for r in school.robot.received) == 1


def test_no_chase_when_everyone_has_reported_and_none_when_switched_off(school):
    visits = school.n("家访")
    school.dingtalk("dt-wang", "王芳", f"完成 {visits}", "m-1")
    school.dingtalk("dt-li", "李强", f"完成 {visits}", "m-2")
    school.pass_at(datetime(2026, 10, 20, 7, 50, tzinfo=TZ))
    school.pass_at(datetime(2026, 10, 20, 8, 1, tzinfo=TZ))
    assert not any(r["body"]["markdown"]["title"] == "今天截止" for r in school.robot.received)
    group = next(g for g in reminder_groups(school.db) if g.name == "全体教师群")
    chats.update_chat_settings(school.db, group.id, {"chase": False})
    school.pass_at(datetime(2026, 10, 23, 7, 50, tzinfo=TZ))
    school.pass_at(datetime(2026, 10, 23, 8, 1, tzinfo=TZ))   # 消防演练 (全体教师) is due today: chase is off
    assert not any(r["body"]["markdown"]["title"] == "今天截止" for r in school.robot.received)
