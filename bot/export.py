"""The status table the office files away: a term's tasks × the people who answer for them."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
from openpyxl.styles import Alignment, Font

from bot import schools, texts
from bot.config import Settings
from bot.people.progress import Progress
from bot.progress import SchoolProgress
from bot.task_dates import dated_range
from storage import plans, status
from storage.db import Database
from storage.school_calendar import Term, school_terms


class ExportError(Exception):
    """str() is a one-line Chinese explanation."""


@dataclass(frozen=True)
class StatusTable:
    header: list[str]
    rows: list[list[str]]


def status_table(settings: Settings, database: Database, term_name: str) -> StatusTable:
    school_id = schools.home_school(database, settings.school)
    terms = school_terms(database, school_id)
    term = next((t for t in terms if t.name == term_name), None)
    if term is None:
        known = "、".join(t.name for t in terms) or "（还没有设置学期）"
        raise ExportError(f"没有名为“{term_name}”的学期。已有的学期：{known}")
    school = SchoolProgress(database, school_id)
    tasks = [t for t in plans.list_tasks(database, school_id, term.start, term.end) if _in_term(t, term)]
    tasks.sort(key=lambda t: (dated_range(t, term), t.number))
    progress = school.of(tasks)
    latest = status.latest_reports(database, (t.id for t in tasks))
    people = _people(tasks, progress, school)
    header = ["编号", "任务", "日期", "负责", "进度"] + [_label(school, m) for m in people]
    rows = []
    for task in tasks:
        first, last = dated_range(task, term)
        when = f"{first:%m-%d}" if first == last else f"{first:%m-%d}～{last:%m-%d}"
        row = [str(task.number), task.title, when, task.owner or "", progress[task.id].tally()]
        row += [_cell(m, progress[task.id], latest.get(task.id, {}), school, settings.tz) for m in people]
        rows.append(row)
    return StatusTable(header, rows)


def write_status(table: StatusTable, path: Path, fmt: str) -> None:
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([table.header, *table.rows])
        path.write_text(out.getvalue(), encoding="utf-8-sig")   # the BOM lets Excel read it as UTF-8
        return
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "进度"
    sheet.append(table.header)
    for row in table.rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "F2"
    sheet.column_dimensions["B"].width = 36
    book.save(path)


def _in_term(task, term: Term) -> bool:
    covered = dated_range(task, term)
    return covered is not None and covered[0] <= term.end and covered[1] >= term.start


def _people(tasks, progress: dict[int, Progress], school: SchoolProgress) -> list[int]:
    """Everyone who answers for or reported on any of the tasks: by department, then name."""
    ids = {m for t in tasks for s in progress[t.id].states for m in s.unit.member_ids}
    members = school.members
    return sorted((i for i in ids if i in members), key=lambda i: (members[i].department or "~", members[i].name, i))


def _label(school: SchoolProgress, member_id: int) -> str:
    member = school.members[member_id]
    return f"{member.name}（{member.department}）" if member.department else member.name


def _cell(member_id: int, progress: Progress, latest: dict, school: SchoolProgress, tz: ZoneInfo) -> str:
    own = latest.get(member_id)
    if own is not None and own.status in texts.STATUS_WORDS and own.status != "todo":
        note = f"：{own.note}" if own.note else ""
        return f"{texts.STATUS_WORDS[own.status]} {own.reported_at.astimezone(tz):%m-%d %H:%M}{note}"
    state = progress.state_of(member_id)
    if state is None:
        return ""
    if state.status is not None and state.by != member_id:
        return f"（{school.members[state.by].name} {texts.STATUS_WORDS[state.status]}）"
    return texts.NOT_REPORTED
