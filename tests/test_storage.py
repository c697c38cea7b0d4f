"""Plans in a real database, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storage import plans
from storage.db import Database
from storage.models import Base, Member, StatusReport, Task, Term


def draft(title: str, start: date | None = None, recurrence: str | None = None, line: int = 1) -> plans.TaskDraft:
    return plans.TaskDraft(title=title, quote=title, line=line, start=start, end=start, recurrence=recurrence)


def plan_import(*items: plans.TaskDraft, name: str = "工作计划") -> plans.PlanImport:
    return plans.PlanImport(name=name, source_filename=f"{name}.txt", checksum="x" * 64,
                            school_year="2026-2027学年", title=name, items=tuple(items))


def test_migrations_match_the_models(database):
    with database.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_a_new_database_migrates_from_nothing_to_the_models(tmp_path):
    """The fixtures copy a database migrated once per session; here a file of no tables is migrated itself."""
    fresh = Database(f"sqlite:///{tmp_path / 'new.db'}")
    try:
        fresh.upgrade()
        with fresh.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        fresh.dispose()


def test_the_migration_marks_the_long_tasks_already_stored(database):
    """0014 marks what a school imported before it: a term's project long, a two-day exam and an undated duty not."""
    from alembic import command
    from sqlalchemy import text

    from storage.db import alembic_config

    def migrate(to: str) -> None:
        with database.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            (command.downgrade if to == "0013" else command.upgrade)(config, to)
    migrate("0013")
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO school (id, name, next_task_number, created_at) VALUES (1, '青禾小学', 4, :at)"),
                           {"at": date(2026, 9, 1)})
        connection.execute(text("INSERT INTO plan (id, school_id, name, source_filename, checksum, title, imported_at, unread_dates) "
                                "VALUES (1, 1, 'p', 'p.txt', 'x', 'p', :at, 0)"), {"at": date(2026, 9, 1)})
        for number, title, start, end in ((1, "课题研究", date(2026, 9, 1), date(2027, 1, 15)),
                                          (2, "期中考试", date(2026, 11, 10), date(2026, 11, 11)), (3, "例行检查", None, None)):
            connection.execute(text("INSERT INTO task (id, school_id, plan_id, number, title, start_date, end_date, fingerprint, "
                                    "section, quote, source_line, created_at, updated_at) "
                                    "VALUES (:n, 1, 1, :n, :t, :s, :e, :t, '', '', 0, :at, :at)"),
                               {"n": number, "t": title, "s": start, "e": end, "at": date(2026, 9, 1)})
        # What refers to tasks must come through too: a table copied and dropped would cascade or be refused.
        connection.execute(text("INSERT INTO member (id, school_id, name, is_admin, created_at) VALUES (1, 1, '王芳', :no, :at)"),
                           {"no": False, "at": date(2026, 9, 1)})
        connection.execute(text("INSERT INTO status_report (task_id, member_id, status, words, reported_at) "
                                "VALUES (2, 1, 'done', '', :at)"), {"at": date(2026, 11, 10)})
        connection.execute(text("INSERT INTO chat_group (id, platform, name, settings, is_active, created_at) "
                                "VALUES (1, 'dingtalk', '三年级组', '{}', :yes, :at)"), {"yes": True, "at": date(2026, 9, 1)})
        connection.execute(text("INSERT INTO reminder_delivery (dedupe_key, kind, chat_id, task_id, occurrence, due_at, state, "
                                "attempts, created_at) VALUES ('k', 'task', 1, 2, :day, :at, 'sent', 1, :at)"),
                           {"day": date(2026, 11, 10), "at": date(2026, 11, 9)})
    migrate("head")
    with database.read() as s:
        assert dict(s.execute(select(Task.title, Task.long_span)).all()) == {"课题研究": True, "期中考试": False, "例行检查": False}
        assert s.scalar(select(func.count()).select_from(StatusReport)) == 1
        assert s.scalar(text("SELECT count(*) FROM reminder_delivery")) == 1   # the send ledger: what was sent stays sent
    migrate("0013")   # and back


def test_upgrade_is_idempotent(database):
    database.upgrade()
    database.upgrade()


def test_import_numbers_tasks_and_reimport_keeps_them(database):
    school = plans.ensure_school(database, "青禾小学")
    first = plans.replace_plan(database, school, plan_import(draft("开学典礼", date(2026, 9, 1)), draft("升旗仪式", recurrence="weekly:MON")))
    assert [t.number for t in first.tasks] == [1, 2]
    assert (first.added, first.kept, first.withdrawn) == (2, 0, 0)

    again = plans.replace_plan(database, school, plan_import(draft("开学典礼", date(2026, 9, 1)), draft("升旗仪式", recurrence="weekly:MON")))
    assert [t.id for t in again.tasks] == [t.id for t in first.tasks]
    assert [t.number for t in again.tasks] == [1, 2]
    assert (again.added, again.kept, again.withdrawn) == (0, 2, 0)


def test_changed_tasks_get_new_numbers_that_are_never_reused(database):
    school = plans.ensure_school(database, "青禾小学")
    plans.replace_plan(database, school, plan_import(draft("开学典礼", date(2026, 9, 1)), draft("运动会", date(2026, 10, 14))))
    moved = plans.replace_plan(database, school, plan_import(draft("开学典礼", date(2026, 9, 1)), draft("运动会", date(2026, 10, 21))))
    assert [t.number for t in moved.tasks] == [1, 3]
    assert moved.withdrawn == 1
    assert [t.number for t in plans.list_tasks(database, school)] == [1, 3]


def test_a_removed_task_with_reports_is_withdrawn_not_deleted(database):
    school = plans.ensure_school(database, "青禾小学")
    result = plans.replace_plan(database, school, plan_import(draft("家长会", date(2026, 11, 12)), draft("运动会", date(2026, 10, 14))))
    with database.transaction() as s:
        teacher = Member(school_id=school, name="王老师")
        s.add(teacher)
        s.flush()
        s.add(StatusReport(task_id=result.tasks[0].id, member_id=teacher.id, status="done", words="完成 1"))
    plans.replace_plan(database, school, plan_import(draft("运动会", date(2026, 10, 14))))
    with database.transaction() as s:
        kept = s.get(Task, result.tasks[0].id)
        assert kept is not None and kept.withdrawn_at is not None
        assert s.scalar(select(func.count()).select_from(StatusReport)) == 1
    assert [t.title for t in plans.list_tasks(database, school)] == ["运动会"]


def test_the_same_event_twice_is_two_tasks(database):
    school = plans.ensure_school(database, "青禾小学")
    result = plans.replace_plan(database, school, plan_import(draft("社团成果展示", date(2027, 1, 1)), draft("社团成果展示", date(2027, 1, 1))))
    assert len({t.id for t in result.tasks}) == 2


def test_a_failed_import_leaves_the_previous_plan_intact(database):
    school = plans.ensure_school(database, "青禾小学")
    plans.replace_plan(database, school, plan_import(draft("开学典礼", date(2026, 9, 1))))
    broken = plans.TaskDraft(title=None, quote="", line=1)  # violates NOT NULL at flush, mid-transaction
    with pytest.raises(IntegrityError):
        plans.replace_plan(database, school, plan_import(draft("运动会", date(2026, 10, 14)), broken))
    assert [(t.number, t.title) for t in plans.list_tasks(database, school)] == [(1, "开学典礼")]


def test_plans_are_separate_within_a_school(database):
    school = plans.ensure_school(database, "青禾小学")
    plans.replace_plan(database, school, plan_import(draft("开学典礼", date(2026, 9, 1)), name="学校计划"))
    plans.replace_plan(database, school, plan_import(draft("升旗仪式", recurrence="weekly:MON"), name="德育计划"))
    assert [t.number for t in plans.list_tasks(database, school)] == [1, 2]


def test_terms_are_synced_from_config(database):
    class ConfiguredTerm:
        name, start, end = "第一学期", date(2026, 9, 1), date(2027, 1, 22)

    from bot import schools

    school = schools.ensure_school(database, "青禾小学", [ConfiguredTerm])
    ConfiguredTerm.end = date(2027, 1, 29)   # the office moved the end of term
    assert schools.ensure_school(database, "青禾小学", [ConfiguredTerm]) == school
    with database.transaction() as s:
        stored = s.scalars(select(Term).where(Term.school_id == school)).all()
        assert [(t.name, t.start_date, t.end_date) for t in stored] == [("第一学期", date(2026, 9, 1), date(2027, 1, 29))]


def test_long_text_and_nul_bytes_fit_either_database(database, tmp_path):
    """An owner of 163 characters, a long file name, a NUL in a nickname or a message: stored the same
    way on SQLite and PostgreSQL (cut to the column, NUL dropped), never a 500 or a traceback."""
    from datetime import datetime, timezone

    from bot.config import SchoolSettings, Settings
    from bot.dispatch import Dispatcher
    from bot.inbox import Inbox
    from bot.messages import IncomingMessage
    from bot.plan_import import import_file
    settings = Settings(school=SchoolSettings(name="青禾小学"))
    plan = tmp_path / ("计划" * 40 + ".txt")
    plan.write_text("2026-2027学年第一学期工作计划\n九月份\n"
                    f"1.9月10日 教师节表彰大会（负责：{'很长的部门名' * 27}）\n2.9月25日 秋季运动会\n", encoding="utf-8")
    result = import_file(plan, settings, database, name="很长的计划名" * 60)
    assert len(result.tasks) == 2 and all(len(t.owner or "") <= 100 and "\x00" not in t.title for t in result.tasks)
    inbox = Inbox(database, Dispatcher(settings, database).answer)
    message = IncomingMessage("dingtalk", "m" * 300, "c" * 300, "u" * 300, "王\x00老师" * 40, "完成 1\x00",
                              datetime.now(timezone.utc))
    replies = []
    inbox.run(inbox.accept(message), lambda m, r: replies.append(r))
    assert replies and inbox.accept(message) is None
