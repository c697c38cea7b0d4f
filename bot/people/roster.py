"""Reading the staff roster the office keeps as a spreadsheet (.xlsx or .csv).

The first row with a 姓名 column is the header; columns are found by their usual
Chinese names in any order. Any problem is one Chinese sentence naming the row,
and nothing is imported.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from zipfile import BadZipFile

import openpyxl

from bot import texts
from bot.errors import UserError
from bot.plan.errors import PlanReadError
from bot.plan.read_text import decode_plan_bytes

from .roles import Role, parse_roles

COLUMNS = {  # field → header words (compared without spaces, brackets or case)
    "name": ("姓名", "名字", "教师姓名", "教职工姓名", "name"),
    "roles": ("角色", "职务", "岗位", "任职", "职位", "roles", "role"),
    "department": ("部门", "处室", "科室", "所在部门", "所属部门", "department"),
    "grade": ("年级", "任教年级", "所在年级", "grade"),
    "subject": ("学科", "任教学科", "科目", "subject"),
    "dingtalk_user_id": ("钉钉userid", "钉钉用户id", "钉钉id", "钉钉账号", "dingtalkuserid", "dingtalk"),
    "wecom_user_id": ("企业微信userid", "企业微信id", "企业微信账号", "企微userid", "企微id", "企微账号", "wecomuserid", "wecom"),
    "mobile": ("手机", "手机号", "手机号码", "联系电话", "电话", "mobile", "phone"),
    "is_admin": ("管理员", "是否管理员", "admin"),
}
HEADER_NOISE = re.compile(r"[\s()（）_\-]")
YES = {"是", "y", "yes", "true", "1", "√", "管理员"}
MAX_ROWS = 5000


class RosterError(UserError):
    """The roster file cannot be read, or a row of it cannot be taken: nothing is imported."""


@dataclass(frozen=True)
class RosterEntry:
    line: int
    name: str
    roles: tuple[Role, ...] = ()
    department: str | None = None
    mobile: str | None = None
    dingtalk_user_id: str | None = None
    wecom_user_id: str | None = None
    is_admin: bool = False


def read_roster_file(path: str | Path) -> list[RosterEntry]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError(texts.ROSTER_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from exc
    return read_roster_bytes(data, path.name)


def read_roster_bytes(data: bytes, name: str) -> list[RosterEntry]:
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise RosterError(texts.ROSTER_EMPTY.format(name=name))
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(_decode(data, name))))
    elif suffix == ".xlsx":
        rows = _xlsx_rows(data, name)
    else:
        raise RosterError(texts.ROSTER_KIND.format(suffix=suffix or texts.NO_SUFFIX))
    return entries_from_rows(rows, name)


def entries_from_rows(rows: list[list], name: str) -> list[RosterEntry]:
    header_at, columns = _header(rows, name)
    entries: list[RosterEntry] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {field: _cell(row, i) for field, i in columns.items()}
        if not any(cells.values()):
            continue
        if not cells.get("name"):
            raise RosterError(texts.ROSTER_ROW_UNNAMED.format(name=name, row=number))
        for field, label in (("dingtalk_user_id", texts.DINGTALK_ID), ("wecom_user_id", texts.WECOM_ID)):
            value = cells.get(field)
            if value and (field, value) in seen:
                raise RosterError(texts.ROSTER_SAME_ID.format(name=name, first=seen[(field, value)], row=number, label=label, value=value))
            if value:
                seen[(field, value)] = number
        entries.append(RosterEntry(
            line=number, name=cells["name"],
            roles=tuple(parse_roles(cells.get("roles") or "", cells.get("grade"), cells.get("subject"))),
            department=cells.get("department") or None,
            mobile=_mobile(cells.get("mobile")),
            dingtalk_user_id=cells.get("dingtalk_user_id") or None,
            wecom_user_id=cells.get("wecom_user_id") or None,
            is_admin=(cells.get("is_admin") or "").lower() in YES,
        ))
        if len(entries) > MAX_ROWS:
            raise RosterError(texts.ROSTER_TOO_LONG.format(name=name, limit=MAX_ROWS))
    if not entries:
        raise RosterError(texts.ROSTER_NOBODY.format(name=name))
    return entries


def _header(rows: list[list], name: str) -> tuple[int, dict[str, int]]:
    for at, row in enumerate(rows[:10]):
        labels = [HEADER_NOISE.sub("", str(c or "")).lower() for c in row]
        columns = {}
        for field, words in COLUMNS.items():
            found = next((i for i, label in enumerate(labels) if label in words), None)
            if found is not None:
                columns[field] = found
        if "name" in columns:
            return at, columns
    raise RosterError(texts.ROSTER_NO_HEADER.format(name=name))


def _cell(row: list, index: int) -> str:
    if index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)   # a mobile typed as a number comes back as 13800000000.0
    return str(value).strip()


def _mobile(value: str | None) -> str | None:
    digits = re.sub(r"[\s\-+]", "", value or "")
    return digits or None


def _decode(data: bytes, name: str) -> str:
    try:
        return decode_plan_bytes(data, name)
    except PlanReadError as exc:
        raise RosterError(str(exc)) from exc


def _xlsx_rows(data: bytes, name: str) -> list[list]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise RosterError(texts.ROSTER_NOT_XLSX.format(name=name)) from exc
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
