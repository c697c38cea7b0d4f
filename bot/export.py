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
from bot.errors import UserError
from bot.people.progress import Progress
from bot.progress import SchoolProgress
from bot.task_dates import dated_range
from storage import plans, status
from storage.db import Database
from storage.school_calendar import Term, school_terms


class ExportError(UserError):
    """The table cannot be made as asked: no term of that name."""


@dataclass(frozen=True)
class StatusTable:
    header: list[str]
    rows: list[list[str]]


def status_table(settings: Settings, database: Database, term_name: str) -> StatusTable:
    school_id = schools.home_school(database, settings.school)
    terms = school_terms(database, school_id)
    term = next((t for t in terms if t.name == term_name), None)
    if term is None:
        known = texts.LIST_SEPARATOR.join(t.name for t in terms) or texts.EXPORT_NO_TERMS_YET
        raise ExportError(texts.EXPORT_NO_TERM.format(name=term_name, known=known))
    school = SchoolProgress(database, school_id)
    tasks = [t for t in plans.list_tasks(database, school_id, term.start, term.end) if _in_term(t, term)]
    tasks.sort(key=lambda t: (dated_range(t, term), t.number))
    progress = school.with_reads(school.of(tasks))
    latest = status.latest_reports(database, (t.id for t in tasks))
    people = _people(tasks, progress, school)
    header = list(texts.EXPORT_HEADER) + [_label(school, m) for m in people]
    rows = []
    for task in tasks:
        first, last = dated_range(task, term)
        when = f"{first:%m-%d}" if first == last else texts.EXPORT_DAYS.format(first=first, last=last)
        row = [str(task.number), task.title, when, task.owner or "", progress[task.id].tally(), progress[task.id].read_tally()]
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
    sheet.title = texts.EXPORT_SHEET
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
    return texts.EXPORT_PERSON.format(name=member.name, department=member.department) if member.department else member.name


def _cell(member_id: int, progress: Progress, latest: dict, school: SchoolProgress, tz: ZoneInfo) -> str:
    own = latest.get(member_id)
    if own is not None and own.status in texts.STATUS_WORDS and own.status != "todo":
        note = texts.EXPORT_NOTE.format(note=own.note) if own.note else ""
        return texts.EXPORT_REPORTED.format(state=texts.STATUS_WORDS[own.status], at=own.reported_at.astimezone(tz), note=note)
    state = progress.state_of(member_id)
    if state is None:
        return ""
    if state.status is not None and state.by != member_id:
        return texts.EXPORT_REPORTED_BY.format(name=school.members[state.by].name, state=texts.STATUS_WORDS[state.status])
    return texts.NOT_REPORTED
