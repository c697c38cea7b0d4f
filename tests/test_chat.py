"""The chat core as a transcript: a message in, a reply out, no HTTP, a real database."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.answers import fit
from bot.config import SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage
from bot.plan_import import import_file
from tests.conftest import ROOT

TZ = ZoneInfo("Asia/Shanghai")
SETTINGS = Settings(school=SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)))


def with_sample_plan(database) -> None:
    """The sample plan imported for SETTINGS' school (built once, copied for each test)."""
    import_file(ROOT / "examples" / "sample_plan.docx", SETTINGS, database)


@pytest.fixture
def bot(sqlite_database_prepared):
    dispatcher = Dispatcher(SETTINGS, sqlite_database_prepared(with_sample_plan))
    counter = iter(range(10_000))

    def say(text: str, on: str = "2026-10-13", msg_id: str | None = None):
        sent = datetime.fromisoformat(on).replace(hour=9, tzinfo=TZ)
        message = IncomingMessage("dingtalk", msg_id or f"m{next(counter)}", "group-1", "u1", "王老师", text, sent)
        reply = dispatcher.handle(message)
        return reply.markdown if reply else None

    return say


def test_this_week(bot):
    answer = bot("本周有什么任务")
    assert answer.startswith("#### 本周（10月12日–10月18日）的任务")
    assert "**10月14日–10月16日**\n- #30 秋季田径运动会（体育组）" in answer
    assert "散学典礼" not in answer
    # Routine duties are one line on a week's answer, and listed on the day they fall.
    assert "项例行工作" in answer and "举行升旗仪式" not in answer
    assert "每周一：#" in bot("下周一有什么") and "举行升旗仪式" in bot("例行")


def test_a_week_fits_a_phone_and_names_each_task_once(bot):
    answer = bot("本月有什么")
    assert len(answer.splitlines()) <= 20
    numbered = [line.split()[1] for line in answer.splitlines() if line.startswith("- #")]
    assert len(numbered) == len(set(numbered))


def test_a_named_day_groups_by_day(bot):
    answer = bot("12月24日有什么")
    assert "**12月24日 周四**" in answer and "“迎新年”文艺汇演" in answer


def test_department_filter(bot):
    answer = bot("本周教务处有什么任务")
    assert "各学科作业展评（教务处）" in answer
    assert "秋季田径运动会" not in answer


def test_when_is_the_sports_day(bot):
    answer = bot("运动会什么时候")
    assert "10月14日–10月16日 秋季田径运动会" in answer


def test_term_anchors_are_placed_in_the_term(bot):
    answer = bot("期中有什么")
    assert "召开全校家长会" in answer and "11月" in answer


def test_an_empty_span_names_the_next_task(bot):
    quiet = bot("8月20日有什么", on="2026-08-10")
    assert "没有安排" in quiet and "下一项：#" in quiet and "开学初（9月1日–9月6日）" in quiet


def test_public_holidays_have_no_routine_duties(bot):
    answer = bot("10月2日有什么")
    assert "少先队建队日入队仪式" in answer   # a month-long item still covers the day
    assert "例行事项" not in answer


def test_holidays_have_no_routine_duties(bot):
    assert "没有安排" in bot("2月5日有什么", on="2027-02-01")


def test_help_and_unknown(bot):
    assert "本周有什么任务" in bot("帮助")
    assert "帮助" in bot("谢谢")


def test_a_redelivered_message_is_answered_once(bot):
    assert bot("本周有什么任务", msg_id="same") is not None
    assert bot("本周有什么任务", msg_id="same") is None


def test_long_answers_stay_under_the_limit_and_say_so():
    lines = ["#### 标题"] + [f"- #{i} 很长的任务名称" * 3 for i in range(500)]
    text = fit(lines, 3800)
    assert len(text.encode("utf-8")) <= 3800
    assert text.endswith("可以缩小时间范围（如“下周三有什么”）或加上部门、关键词（如“本周教务处有什么任务”）。")
    assert "还有" in text.splitlines()[-1]


@pytest.fixture
def two_schools(sqlite_database):
    """The configured school and a second one, each with its own plan."""
    import_file(ROOT / "examples" / "sample_plan.docx", SETTINGS, sqlite_database)
    import_file(ROOT / "examples" / "sample_plan.txt", SETTINGS, sqlite_database, name="东风计划", school="东风中学")
    dispatcher = Dispatcher(Settings(school=SETTINGS.school, admins=("wecom-admin",)), sqlite_database)
    counter = iter(range(10_000))

    def say(text: str, chat: str = "group-9", sender: str = "u1", is_admin: bool = False, platform: str = "dingtalk"):
        sent = datetime(2026, 10, 13, 9, tzinfo=TZ)
        message = IncomingMessage(platform, f"m{next(counter)}", chat, sender, "老师", text, sent, is_admin=is_admin)
        return dispatcher.handle(message).markdown

    return say


def test_with_several_schools_an_unlinked_group_is_onboarded(two_schools):
    assert "本群还没有绑定学校" in two_schools("本周有什么任务")
    assert "本周有什么任务" in two_schools("帮助")


def test_only_admins_link_a_group(two_schools):
    assert "只有管理员" in two_schools("绑定学校 东风中学")
    assert "没有找到“西山小学”" in two_schools("绑定学校 西山小学", is_admin=True)
    assert "已将本群绑定到“东风中学”" in two_schools("绑定学校 东风中学", is_admin=True)
    assert two_schools("本周有什么任务").startswith("#### 本周")
    assert "本群还没有绑定学校" in two_schools("本周有什么任务", chat="group-10")


def test_configured_admins_may_link_too(two_schools):
    assert "已将本群绑定" in two_schools("绑定学校 东风", sender="wecom-admin", platform="wecom", chat="user:x")
