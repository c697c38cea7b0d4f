"""Roles as schools write them, and who a plan's owner names. Pure: no database.

A roster says "三年级班主任", "数学教研组长", "班主任（初二）"; a plan says "教务处、各班主任".
A role part of an owner makes a task everyone's own (each 班主任 reports for themselves);
a department part makes it the department's (any member of 教务处 completes it).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

GRADE = re.compile(r"(?:[一二三四五六七八九]|[1-9])年级|初[一二三]|高[一二三]")
CLASS = re.compile(r"(?:[(（]?\d{1,2}[)）]?|[一二三四五六七八九十]{1,2})班(?!主任)")
SUBJECTS = ("道德与法治", "综合实践", "信息技术", "心理健康", "语文", "数学", "英语", "物理", "化学", "生物", "历史",
            "地理", "政治", "道法", "科学", "音乐", "美术", "体育", "信息", "劳动", "心理", "书法")
SUBJECT = re.compile("|".join(SUBJECTS))
ALIASES = {"教研组": "教研组长", "备课组": "备课组长", "年级组": "年级组长", "班主任老师": "班主任"}
EVERYONE = {"全体教师", "全体老师", "全校教师", "全体教职工", "全体教职员工", "全校教职工", "各位老师", "全员", "全体"}
SPLIT = re.compile(r"[、,，;；/／|]+|\s+|(?<=[处室部组长任])[和及与]")
DECORATION = re.compile(r"^(?:各|全体|所有|每位|每个|由)|(?:们|负责|牵头|等)$")
PUNCTUATION = re.compile(r"[()（）\[\]【】]")


@dataclass(frozen=True)
class Role:
    role: str
    grade: str | None = None
    subject: str | None = None


def parse_roles(text: str, grade: str | None = None, subject: str | None = None) -> list[Role]:
    """"三年级班主任、数学教研组长" → roles; a grade or subject column fills in what a role leaves out."""
    roles = []
    carried_grade = carried_subject = None   # "三年级 班主任": a bare grade qualifies the next role
    for piece in SPLIT.split(text or ""):
        piece = piece.strip()
        if not piece:
            continue
        found_grade = GRADE.search(piece)
        found_subject = SUBJECT.search(piece)
        name = CLASS.sub("", piece)
        for found in (found_grade, found_subject):
            if found:
                name = name.replace(found.group(), "", 1)
        name = PUNCTUATION.sub("", name).strip("-—:： ")
        name = ALIASES.get(name, name)
        piece_grade = found_grade.group() if found_grade else carried_grade
        piece_subject = found_subject.group() if found_subject else carried_subject
        if not name:
            carried_grade, carried_subject = piece_grade, piece_subject
            continue
        carried_grade = carried_subject = None
        roles.append(Role(name, piece_grade or grade or None, piece_subject or subject or None))
    return list(dict.fromkeys(roles))


@dataclass(frozen=True)
class OwnerPart:
    name: str                 # 班主任, 教务处 …
    grade: str | None = None
    subject: str | None = None
    everyone: bool = False


def owner_parts(owner: str | None) -> list[OwnerPart]:
    parts = []
    for piece in SPLIT.split(owner or ""):
        piece = DECORATION.sub("", DECORATION.sub("", piece.strip()))
        if not piece:
            continue
        if piece in EVERYONE or piece in ("教师", "老师"):
            parts.append(OwnerPart(piece, everyone=True))
            continue
        role = parse_roles(piece)
        if role:
            parts.append(OwnerPart(role[0].role, role[0].grade, role[0].subject))
    return list(dict.fromkeys(parts))


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    department: str | None
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class Unit:
    """One who answers for a task: a person, or a department any of whose members may answer."""
    key: str
    label: str
    member_ids: tuple[int, ...]
    is_department: bool = False


def units_for(owner: str | None, people: Iterable[Person]) -> tuple[Unit, ...]:
    """The units a task's owner names among the school's people; none when it names nobody known."""
    people = list(people)
    units: dict[str, Unit] = {}
    for part in owner_parts(owner):
        if part.everyone:
            for p in people:
                units.setdefault(f"m:{p.id}", Unit(f"m:{p.id}", p.name, (p.id,)))
            continue
        holders = [p for p in people if any(_holds(r, part) for r in p.roles)]
        if holders:
            for p in holders:
                units.setdefault(f"m:{p.id}", Unit(f"m:{p.id}", p.name, (p.id,)))
            continue
        department = tuple(p.id for p in people if p.department and p.department == part.name)
        if department:
            units.setdefault(f"d:{part.name}", Unit(f"d:{part.name}", part.name, department, is_department=True))
    return tuple(units.values())


def _holds(role: Role, part: OwnerPart) -> bool:
    return (role.role == part.name and (part.grade is None or role.grade == part.grade)
            and (part.subject is None or role.subject == part.subject))
