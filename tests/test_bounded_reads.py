"""Reads that stay flat as a district grows: a week's question reads that week's tasks, not every year's; "nothing
this week, next up…" and "下周有运动会吗" find what comes later through the start-date index; the minute's read of
what to send goes by state, so the sent history never enters it; the configured groups are written only when the
config changes. Each query's plan is checked with EXPLAIN on SQLite and PostgreSQL."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select, text

from bot.config import RobotGroup, SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage
from bot.reminders.groups import sync_configured
from storage import chats, deliveries, plans, task_edits
from storage.models import ChatGroup, Plan, ReminderDelivery, Task

TZ = ZoneInfo("Asia/Shanghai")
TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))
SETTINGS = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)))
TODAY = date(2026, 10, 14)   # a Wednesday


def add_plan(database, school_id: int, name: str, tasks: list[tuple[str, date, date]]) -> None:
    with database.transaction() as s:
        plan = Plan(school_id=school_id, name=name, source_filename=f"{name}.txt", checksum=name, valid_from=tasks[0][1],
                    valid_to=max(t[2] for t in tasks if t[2]))
        s.add(plan)
        s.flush()
        first = (s.scalar(select(func.max(Task.number)).where(Task.school_id == school_id)) or 0) + 1   # numbers are the school's
        s.add_all(Task(school_id=school_id, plan_id=plan.id, number=first + i, title=title, start_date=start, end_date=end,
                       fingerprint=f"{name}-{i}") for i, (title, start, end) in enumerate(tasks))


def other_years(first_year: int, years: int, per_year: int) -> list[tuple[str, date, date]]:
    """Plans of other school years: many tasks, none about sports."""
    out = []
    for year in range(first_year, first_year + years):
        for i in range(per_year):
            day = date(year, 9, 1) + timedelta(days=i % 300)
            out.append((f"第{i}项教研活动", day, day))
    return out


def ask(database, text: str, today: date = TODAY) -> str:
    dispatcher = Dispatcher(SETTINGS, database)
    message = IncomingMessage("console", f"m-{text}-{today}", "console", "t1", "王芳", text,
                              datetime.combine(today, datetime.min.time(), TZ).replace(hour=9))
    return dispatcher.handle(message).markdown


@pytest.fixture
def school(database):
    school_id = plans.ensure_school(database, "青禾小学")
    add_plan(database, school_id, "本学期", [("秋季运动会", date(2026, 11, 20), date(2026, 11, 20)),
                                          ("期中考试", date(2026, 10, 13), date(2026, 10, 14))])
    return school_id


def test_a_week_question_reads_only_that_week(database, school):
    add_plan(database, school, "以后几年", other_years(2027, 3, 400))
    add_plan(database, school, "以前几年", other_years(2019, 4, 400))   # years of old plans kept in the database
    fetched: list[int] = []
    original = plans.TaskRow

    def counting_row(*row, **kw):
        fetched.append(1)
        return original(*row, **kw)

    plans.TaskRow = counting_row
    try:
        answer = ask(database, "本周有什么任务")
    finally:
        plans.TaskRow = original
    assert "期中考试" in answer
    assert len(fetched) <= 5, f"a week's question read {len(fetched)} tasks"


def test_a_task_lasting_months_is_in_every_week_of_it(database, school):
    """Short tasks are looked for two months back, long ones two years: a term's project begun in September is in
    a December week; a task the office stretches from two days to three months is read as a long one from then on."""
    add_plan(database, school, "课题", [("课题研究：阅读习惯", date(2026, 9, 1), date(2027, 1, 15))])
    add_plan(database, school, "以前几年", other_years(2024, 2, 400))
    assert "课题研究" in ask(database, "本周有什么任务", date(2026, 12, 9))
    with database.read() as s:
        exam = s.scalar(select(Task.id).where(Task.title == "期中考试"))
    task_edits.update_task(database, school, exam, task_edits.TaskChange("期中考试", date(2026, 10, 13), date(2027, 1, 10)))
    assert "期中考试" in ask(database, "本周有什么任务", date(2027, 1, 6))
    task_edits.update_task(database, school, exam, task_edits.TaskChange("期中考试", date(2026, 10, 13), date(2026, 10, 14)))
    assert "期中考试" not in ask(database, "本周有什么任务", date(2027, 1, 7))   # (another day: another message)


def test_an_empty_span_still_says_what_comes_next(database, school):
    add_plan(database, school, "以后几年", other_years(2027, 2, 300))
    answer = ask(database, "下周有什么任务", date(2026, 11, 2))   # 11月9日–15日: nothing; the sports day is after
    assert "秋季运动会" in answer and "下一项" in answer


def test_a_topic_not_in_the_span_is_found_later(database, school):
    add_plan(database, school, "以后几年", other_years(2027, 2, 300))
    answer = ask(database, "下周有运动会吗")
    assert "秋季运动会" in answer and "11月20日" in answer


def test_when_is_it_reads_this_year_and_the_next(database, school):
    add_plan(database, school, "很久以后", [("秋季运动会（2030年）", date(2030, 10, 20), date(2030, 10, 20))])
    answer = ask(database, "运动会什么时候")
    assert "11月20日" in answer and "2030" not in answer


def test_the_digest_says_what_comes_next(database, school):
    from bot.context import ChatContext
    from bot.reminders.messages import render
    from storage.deliveries import DeliveryRow, ReminderKind
    add_plan(database, school, "以后几年", other_years(2027, 2, 300))
    monday = date(2026, 11, 9)
    row = DeliveryRow("k", ReminderKind.DIGEST, None, 1, monday, datetime(2026, 11, 9, tzinfo=TZ), id=1, state="pending")
    reply = render(row, None, ChatContext(database, school, monday, (TERM,), tz=TZ))
    assert "秋季运动会" in reply.markdown


# --- the query plans

def explain(database, statement, params: dict) -> str:
    with database.read() as s:
        conn = s.connection()
        sql = str(statement.params(**params).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "sqlite":
            return "\n".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all())
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")   # tiny tables: ask whether an index can serve
        return "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}").all())


def uses_index(plan: str, index: str, table: str, column: str) -> bool:
    """Every read of the table goes through the index (or an index whose name begins so), with a range or an
    equality on `column`: not a walk of the whole index either."""
    lines = plan.splitlines()
    if any(line.strip().startswith("SEARCH") or line.strip().startswith("SCAN") for line in lines):   # SQLite
        reads = [line for line in lines if f" {table} " in f" {line.strip()} " and ("SEARCH" in line or "SCAN" in line)]
        return bool(reads) and all(index in line and f"{column}" in line for line in reads)
    reads = [i for i, line in enumerate(lines) if re.search(rf"Scan (using \S+ )?on {table}\b", line)]   # PostgreSQL
    if not reads:
        return False
    for i in reads:
        below = lines[i + 1:i + 5]
        if "Seq Scan" in lines[i]:
            return False
        if "Bitmap Heap Scan" in lines[i] and not any(f"Bitmap Index Scan on {index}" in line for line in below):
            return False
        if "Index Scan using" in lines[i] and not re.search(rf"using {index}\S* ", lines[i]):
            return False
        if not any("Cond" in line and column in line for line in below):
            return False
    return True


@pytest.mark.parametrize("statement, params, index, column", [
    (plans.SCHOOL_TASKS_TOUCHING, {"school_id": 1, "first": TODAY, "last": TODAY, "short_since": TODAY - timedelta(62),
      "long_since": TODAY - timedelta(731)},
     "ix_task_school_", "start_date"),   # (the undated through ix_task_school_dates, the dated through …_span_dates)
    (plans.SCHOOL_TASKS_AFTER, {"school_id": 1, "after": TODAY, "until": TODAY + timedelta(400), "limit": 1},
     "ix_task_school_dates", "start_date"),
    (plans.SCHOOL_TASKS_PAGE, {"school_id": 1, "after": TODAY, "until": TODAY + timedelta(400), "after_id": 7, "limit": 100},
     "ix_task_school_dates", "start_date"),
    (deliveries.OUTSTANDING, {"moment": datetime(2026, 10, 14)}, "ix_reminder_delivery_state_due", "due_at"),
], ids=["span", "next", "page", "outstanding"])
def test_the_reads_go_through_their_index(database, school, statement, params, index, column):
    add_plan(database, school, "其他年份", other_years(2019, 5, 400) + [(f"例行{i}", None, None) for i in range(40)])
    with database.transaction() as s:   # a ledger's history: mostly sent, a few to send
        group = ChatGroup(platform="dingtalk", conversation_id="g", name="g", settings={})
        s.add(group)
        s.flush()
        s.execute(insert(ReminderDelivery), [
            {"dedupe_key": f"k{i}", "kind": "digest", "chat_id": group.id, "occurrence": date(2026, 9, 1),
             "due_at": datetime(2026, 9, 1) + timedelta(minutes=i), "state": "sent" if i % 500 else "pending", "attempts": 0,
             "created_at": datetime(2026, 9, 1)} for i in range(3000)])
    with database.transaction() as s:   # planner statistics, as a database in use has them
        s.execute(text("ANALYZE"))
    params = {**params, "school_id": school}
    plan = explain(database, statement, params)
    table = "task" if "task" in index else "reminder_delivery"
    assert uses_index(plan, index, table, column), plan


# --- the configured groups

def test_the_configured_groups_are_written_only_when_the_config_changes(database):
    school = plans.ensure_school(database, "青禾小学")
    groups = tuple(RobotGroup(name=f"{i}年级组", platform="dingtalk", webhook=f"https://oapi.dingtalk.com/robot/send?access_token=t{i}")
                   for i in range(50))
    settings = Settings(school=SETTINGS.school, groups=groups)
    assert sync_configured(database, settings, school) is True
    with database.transaction() as s:   # the office renamed one on its pages; an unchanged config leaves it
        s.scalar(select(ChatGroup).where(ChatGroup.name == "3年级组")).name = "三年级组"
    assert sync_configured(database, settings, school) is False
    assert "三年级组" in chats.group_names(database, school)
    changed = Settings(school=SETTINGS.school, groups=groups[:49] + (RobotGroup(name="49年级组", platform="dingtalk",
                                                                                 webhook="https://oapi.dingtalk.com/robot/send?access_token=new"),))
    assert sync_configured(database, changed, school) is True
    assert "3年级组" in chats.group_names(database, school)
    with database.read() as s:
        assert s.scalar(select(ChatGroup.webhook_url).where(ChatGroup.name == "49年级组")).endswith("token=new")
        assert len(list(s.scalars(select(ChatGroup.id)))) == 50


# --- the roster

def test_the_roster_is_read_once_per_change(database, monkeypatch):
    from bot.progress import SchoolProgress
    from storage import people
    from storage.people import NewMember, RoleRow, import_roster
    school = plans.ensure_school(database, "青禾小学")
    import_roster(database, school, [NewMember("王芳", (RoleRow("班主任"),), dingtalk_user_id="dt-wang"),
                                     NewMember("李强", (RoleRow("班主任"),), dingtalk_user_id="dt-li")])
    loads, load = [], people.load_members
    monkeypatch.setattr(people, "load_members", lambda *a: loads.append(1) or load(*a))

    def roster() -> set[str]:
        return {m.name for m in SchoolProgress(database, school).members.values()}

    assert roster() == {"王芳", "李强"} and len(loads) == 1
    assert len(SchoolProgress(database, school).units("班主任")) == 2 and roster() == {"王芳", "李强"} and len(loads) == 1
    import_roster(database, school, [NewMember("赵敏", (RoleRow("班主任"),), dingtalk_user_id="dt-zhao")])
    assert roster() == {"王芳", "李强", "赵敏"} and len(loads) == 2
    assert len(SchoolProgress(database, school).units("班主任")) == 3          # whom an owner names follows too
    people.meet(database, school, "dingtalk", "dt-new", "新老师")               # someone seen in chat for the first time
    assert "新老师" in roster() and len(loads) == 3
    people.meet(database, school, "dingtalk", "dt-new", "新老师")               # seen again: nothing changed
    roster()
    assert len(loads) == 3
    member = next(m for m in SchoolProgress(database, school).members.values() if m.name == "李强")
    people.set_admin(database, school, member.id, True)
    assert SchoolProgress(database, school).members[member.id].is_admin and len(loads) == 4
    directory = [people.DirectoryEntry("dt-wang", "王芳", roles=(RoleRow("班主任", "三年级"),))]
    people.merge_directory(database, school, "dingtalk", directory)             # her role now names the grade
    roster()
    assert len(loads) == 5
    people.merge_directory(database, school, "dingtalk", directory)             # the same directory again: no change
    roster()
    assert len(loads) == 5


# --- answers that kept their meaning

def add_rows(database, school_id: int, name: str, rows: list[dict]) -> None:
    with database.transaction() as s:
        plan = Plan(school_id=school_id, name=name, source_filename=f"{name}.txt", checksum=name,
                    valid_from=TERM.start, valid_to=TERM.end)
        s.add(plan)
        s.flush()
        first = (s.scalar(select(func.max(Task.number)).where(Task.school_id == school_id)) or 0) + 1
        s.add_all(Task(school_id=school_id, plan_id=plan.id, number=first + i, fingerprint=f"{name}-{i}", **row)
                  for i, row in enumerate(rows))


def test_next_up_is_the_soonest_whether_anchored_to_the_term_or_dated(sqlite_database):
    school = plans.ensure_school(sqlite_database, "青禾小学")
    add_rows(sqlite_database, school, "本学期", [dict(title="期末考试", term_anchor="term_end"),
                                               dict(title="秋季运动会", start_date=date(2026, 10, 28), end_date=date(2026, 10, 28))])
    answer = ask(sqlite_database, "本周有什么任务")
    assert "下一项" in answer and "秋季运动会" in answer and "期末考试" not in answer


def test_the_routine_list_keeps_a_duty_dated_by_month(sqlite_database):
    school = plans.ensure_school(sqlite_database, "青禾小学")
    add_rows(sqlite_database, school, "本学期", [
        dict(title="升旗仪式", recurrence="weekly:MON", start_date=date(2026, 9, 1), end_date=date(2026, 9, 30)),
        dict(title="大扫除", recurrence="weekly:FRI")])
    answer = ask(sqlite_database, "例行工作有哪些")
    assert "升旗仪式" in answer and "大扫除" in answer
