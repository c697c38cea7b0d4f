"""Who has read the enterprise robot's reminders: the send's processQueryKey kept, DingTalk asked an hour
later and on the deadline's morning (a fake DingTalk on 127.0.0.1 speaking groupMessages/query, paged,
throttling on demand), and "已读 1/2" in 进度, the chase, the office's board and the export."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import pytest
import requests

from bot.app import create_app
from bot.config import DingTalkSettings, SchoolSettings, Settings
from bot.export import status_table
from bot.members import import_roster_file
from bot.messages import IncomingMessage, Reply
from bot.plan_import import import_file
from bot.platforms.dingtalk_api import DingTalkApi
from bot.reminders.groups import reminder_groups
from bot.reminders.runner import run_pass
from bot.reminders.sending import WATCHED_KINDS
from storage import deliveries, plans, read_receipts
from storage.deliveries import DeliveryState, NewDelivery, ReminderKind
from storage.models import MessageRead, ReadCheck, ReminderDelivery
from storage.read_receipts import ReadWatch
from tests.servers import FakeDingTalkOpenApi, serving
from tests.test_admin_web import settings_with, sign_in
from tests.test_dingtalk_cards import GROUP, SECRET, SPAN_PLAN, TERM
from tests.test_status import NAMES, ROSTER, TZ


class School:
    def __init__(self, settings: Settings, database, fake: FakeDingTalkOpenApi) -> None:
        self.settings, self.db, self.fake = settings, database, fake
        self.app = create_app(settings, database)
        self.dispatcher = self.app.extensions["schoolbot.card_taps"].dispatcher
        self.http = requests.Session()

    def say(self, who: str, text: str, admin: bool = False) -> str:
        message = IncomingMessage("dingtalk", uuid.uuid4().hex, GROUP, who, NAMES[who], text,
                                  datetime(2026, 10, 14, 9, 0, tzinfo=TZ), True, admin, "教师群")
        return self.dispatcher.handle(message).markdown

    def at(self, day: int, hour: int, minute: int) -> None:
        assert run_pass(datetime(2026, 10, day, hour, minute, tzinfo=TZ), self.settings, self.db, self.http) is not None

    def sent_about(self, words: str) -> list[dict]:
        return [m for m in self.fake.sent if words in m["param"]["text"]]

    def reads(self) -> set[tuple[int, str]]:
        with self.db.read() as s:
            return {(r.delivery_id, r.user_id) for r in s.query(MessageRead)}


@pytest.fixture
def school(database, tmp_path):
    fake = FakeDingTalkOpenApi("ding-app", SECRET, "ding-app")
    with serving(fake.app) as fake_url:
        settings = settings_with()
        settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)), admin_web=settings.admin_web,
                            dingtalk=DingTalkSettings(app_key="ding-app", app_secret=SECRET, api_base=fake_url,
                                                      oapi_base=fake_url))
        plan, roster = tmp_path / "计划.txt", tmp_path / "名单.csv"
        plan.write_text(SPAN_PLAN, encoding="utf-8")
        roster.write_text(ROSTER, encoding="utf-8")
        import_file(plan, settings, database)
        import_roster_file(roster, settings, database)
        yield School(settings, database, fake)


def test_reads_are_asked_an_hour_later_and_on_the_deadline_morning(school):
    fake = school.fake
    assert "通过钉钉应用机器人推送" in school.say("dt-zhao", "开启提醒", admin=True)
    fake.read_by_default = ["dt-wang", "dt-someone-not-on-the-roster"]
    for day in range(12, 28):
        school.at(day, 7, 31)
    deadline = school.sent_about("家访")
    assert deadline, "no reminder about the task went out"
    number = next(t.number for t in plans.list_tasks(school.db, plans.ensure_school(school.db, "青禾小学")) if "家访" in t.title)
    assert "已读" not in school.say("dt-zhao", f"{number} 进度")      # nothing asked yet: nothing claimed

    asked = len(fake.queries)
    school.at(27, 8, 40)     # an hour after the 07:30 reminder
    query = fake.queries[asked]
    assert query["openConversationId"] == GROUP and query["robotCode"] == "ding-app"
    assert query["processQueryKey"] == f"q{fake.sent.index(deadline[-1]) + 1}"
    progress = school.say("dt-zhao", f"{number} 进度")
    assert "0/2 已完成 · 已读 1/2" in progress and "未读提醒（1）**：李强" in progress

    # A throttled ask is asked again ten minutes on; the answer only adds.
    school.at(28, 7, 31)
    school.at(29, 7, 31)                  # the one-day deadline reminder
    fake.query_script = ["throttle"]
    before = len(fake.queries)
    school.at(29, 8, 40)
    assert len(fake.queries) == before + 1
    with school.db.read() as s:
        waiting = [c for c in s.query(ReadCheck) if c.failures == 1]
    assert len(waiting) == 1
    school.at(29, 8, 51)
    assert len(fake.queries) == before + 2
    with school.db.read() as s:
        assert all(c.failures == 0 for c in s.query(ReadCheck))

    # The deadline's morning: asked again at 07:50, then the chase names who has not even read it.
    school.at(30, 7, 51)
    assert {q["processQueryKey"] for q in fake.queries[before + 2:]} >= {query["processQueryKey"]}
    school.at(30, 8, 1)
    chase = school.sent_about("今天截止")[-1]["param"]["text"]
    assert "还没有上报的：王芳、李强" in chase or "还没有上报的：李强、王芳" in chase
    assert "其中还没有看过提醒的：李强" in chase

    # Reporting shows it was read, whatever the receipts say.
    school.say("dt-li", f"完成 {number}")
    assert "1/2 已完成 · 已读 2/2" in school.say("dt-zhao", f"{number} 进度")
    client = school.app.test_client()
    sign_in(client)
    board = client.get("/admin/board").get_data(as_text=True)
    row = board[board.index("各班主任提交家访记录"):].split("</tr>")[0]
    assert "<td>1/2 已完成</td><td>已读 2/2</td>" in row
    table = status_table(school.settings, school.db, "第一学期")
    column = table.header.index("已读")
    assert next(r for r in table.rows if "家访" in r[1])[column] == "已读 2/2"


def test_only_one_off_tasks_reminders_are_watched(school):
    """A digest (no task) or a missed-while-offline note is sent with a processQueryKey too, but nobody is
    asked to report on it: it is never watched."""
    school.say("dt-zhao", "开启提醒", admin=True)
    for day in range(12, 17):
        school.at(day, 7, 31)
    with school.db.read() as s:
        kinds = {d.kind for d in s.query(ReminderDelivery).filter(ReminderDelivery.state == DeliveryState.SENT)}
        watched = {d.kind for d in s.query(ReminderDelivery).join(ReadCheck, ReadCheck.delivery_id == ReminderDelivery.id)}
    assert ReminderKind.DIGEST in kinds and watched
    assert watched <= set(WATCHED_KINDS)


def test_reader_pages_are_followed_and_failures_retried(school):
    api = DingTalkApi(school.settings.dingtalk, requests.Session())
    sent = api.send_group_markdown(GROUP, Reply("标题", "正文"))
    assert sent.ok and sent.receipt_key == "q1"
    school.fake.readers["q1"] = [f"dt-{n}" for n in range(250)]
    answer = api.read_by(GROUP, "q1")
    assert answer.ok and len(answer.user_ids) == 250 and len(set(answer.user_ids)) == 250
    assert [q.get("nextToken") for q in school.fake.queries] == [None, "100", "200"]
    school.fake.query_script = ["500"]
    failed = api.read_by(GROUP, "q1")
    assert not failed.ok and failed.retry
    refused = api.read_by(GROUP, "q-never-issued")
    assert not refused.ok and not refused.retry


def test_a_check_that_keeps_failing_stops_but_keeps_the_deadline_morning(school):
    school.say("dt-zhao", "开启提醒", admin=True)
    group = next(g for g in reminder_groups(school.db, False) if g.conversation_id == GROUP)
    start = datetime(2026, 10, 27, 7, 30, tzinfo=TZ)
    deliveries.record(school.db, [NewDelivery("t:1", ReminderKind.EVE, None, group.id, date(2026, 10, 27), start)])
    row = deliveries.outstanding(school.db, start)[0]
    later = datetime(2026, 10, 30, 7, 50, tzinfo=TZ)
    deliveries.mark(school.db, row.id, DeliveryState.SENT, reads=ReadWatch("qx", start.replace(hour=8, minute=30), later))
    check = read_receipts.due(school.db, start.replace(hour=8, minute=31), 10)[0]
    for _ in range(read_receipts.MAX_FAILURES):
        read_receipts.failed(school.db, check, start.replace(hour=8, minute=31), retry=True)
        check = read_receipts.due(school.db, later, 10)[0]
    with school.db.read() as s:   # given up on the retries, but the deadline's morning is still asked
        kept = s.get(ReadCheck, row.id)
        assert (kept.failures, kept.next_at, kept.later_at) == (read_receipts.MAX_FAILURES, later.astimezone(timezone.utc)
                                                                .replace(tzinfo=None), None)
    read_receipts.answered(school.db, check, ["dt-wang", "dt-wang", ""], later)
    read_receipts.answered(school.db, check, ["dt-li"], later)
    assert school.reads() == {(row.id, "dt-wang"), (row.id, "dt-li")}
    assert read_receipts.due(school.db, later.replace(day=31), 10) == []
