"""Roles as schools write them, and who a plan's owner names. Pure: no database.

A roster says "三年级班主任", "数学教研组长", "班主任（初二）", "体育老师"; a plan says "教务处、各班主任",
"语文组", "三年级组". A role part of an owner makes a task everyone's own (each 班主任 reports for
themselves); a department part, or a subject or grade group (the teachers of 语文, of 三年级),
makes it the group's (any one member completes it).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

GRADE = re.compile(r"(?:[一二三四五六七八九]|[1-9])年级|初[一二三]|高[一二三]")
CLASS = re.compile(r"(?:[(（]?\d{1,2}[)）]?|[一二三四五六七八九十]{1,2})班(?!主任)")
SUBJECTS = ("道德与法治", "综合实践", "信息技术", "心理健康", "语文", "数学", "英语", "物理", "化学", "生物", "历史",
            "地理", "政治", "道法", "科学", "音乐", "美术", "体育", "信息", "劳动", "心理", "书法", "艺术")
SUBJECT = re.compile("|".join(SUBJECTS))
# "语文组", "数学教研组", "英语备课组", "三年级组", "初二年级组", "三年级语文备课组": that subject's or grade's teachers.
GROUP = re.compile(rf"^(?P<grade>{GRADE.pattern})?(?:年级)?(?P<subject>{SUBJECT.pattern})?(?:学科)?(?:教研组|备课组|年级组|组)$")
SAME_SUBJECT = {"道法": "道德与法治", "政治": "道德与法治", "信息技术": "信息", "心理健康": "心理"}
SUBJECT_FAMILY = {"艺术": {"艺术", "音乐", "美术"}}   # a school's 艺术组 is its music and art teachers
LEADERS = {"组长", "教研组长"}      # "语文组长" and "语文教研组长" are one post
TEACHERS = {"教师", "老师"}         # "语文老师", "三年级教师": whoever teaches it, each for themselves
HONORIFIC = "老师"                 # "王芳老师" is 王芳: a name is written with it or without
# Job titles in a platform's directory worth reading as roles; "教师" or "副校长" says nothing a plan's owner uses.
DIRECTORY_ROLES = {"班主任", "副班主任", "教研组长", "备课组长", "年级组长"}
ALIASES = {"教研组": "教研组长", "备课组": "备课组长", "年级组": "年级组长", "班主任老师": "班主任"}
EVERYONE = {"全体教师", "全体老师", "全校教师", "全体教职工", "全体教职员工", "全校教职工", "各位老师", "全员", "全体"}
SPLIT = re.compile(r"[、,，;；/／|]+|\s+|(?<=[处室部组长任])[和及与]")
DECORATION = re.compile(r"^(?:各|全体|所有|每位|每个|由)|(?:们|负责|牵头|等)$")
PUNCTUATION = re.compile(r"[()（）\[\]【】]")
DIGITS = str.maketrans("123456789", "一二三四五六七八九")


@dataclass(frozen=True)
class Role:
    role: str
    grade: str | None = None
    subject: str | None = None


def parse_roles(text: str, grade: str | None = None, subject: str | None = None) -> list[Role]:
    """"三年级班主任、数学教研组长" → roles; a grade or subject column fills in what a role leaves out.
    A grade or subject with no role ("语文", or only the 学科 column) is a teacher of it: 教师."""
    grade, subject = grade_key(grade), _subject_named(subject)
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
        piece_grade = grade_key(found_grade.group()) if found_grade else carried_grade
        piece_subject = found_subject.group() if found_subject else carried_subject
        if not name:
            carried_grade, carried_subject = piece_grade, piece_subject
            continue
        carried_grade = carried_subject = None
        roles.append(Role(name, piece_grade or grade, piece_subject or subject))
    if carried_grade or carried_subject or (not roles and (grade or subject)):
        roles.append(Role("教师", carried_grade or grade, carried_subject or subject))
    return list(dict.fromkeys(roles))


def grade_key(grade: str | None) -> str | None:
    """"3年级" and "三年级" are one grade, as are "初二年级" and "初二"."""
    if not grade:
        return None
    found = GRADE.search(grade.translate(DIGITS))
    return found.group() if found else grade


def subject_key(subject: str | None) -> str | None:
    """For comparing: 道法 and 政治 are 道德与法治 (stored as the roster writes them)."""
    subject = _subject_named(subject)
    return SAME_SUBJECT.get(subject, subject) if subject else None


def _subject_named(subject: str | None) -> str | None:
    """"初中语文" in a 学科 column is 语文."""
    found = SUBJECT.search(subject or "")
    return found.group() if found else (subject or None)


@dataclass(frozen=True)
class OwnerPart:
    name: str                 # 班主任, 教务处, 语文组 …
    grade: str | None = None
    subject: str | None = None
    everyone: bool = False
    group: bool = False       # a subject or grade group: its teachers answer as one


def owner_parts(owner: str | None) -> list[OwnerPart]:
    parts = []
    for piece in SPLIT.split(owner or ""):
        piece = DECORATION.sub("", DECORATION.sub("", piece.strip()))
        if not piece:
            continue
        if piece in EVERYONE or piece in ("教师", "老师"):
            parts.append(OwnerPart(piece, everyone=True))
            continue
        group = GROUP.match(piece)
        if group and (group["grade"] or group["subject"]):
            parts.append(OwnerPart(piece, grade_key(group["grade"]), subject_key(group["subject"]), group=True))
            continue
        role = parse_roles(piece)
        if role:
            parts.append(OwnerPart(role[0].role, role[0].grade, subject_key(role[0].subject)))
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
    """The units a task's owner names among the school's people; none when it names nobody known
    (then the task is open: see bot/people/progress.py). A part that names nobody adds no one."""
    people = list(people)
    units: dict[str, Unit] = {}
    for part in owner_parts(owner):
        if part.group:
            members = tuple(p.id for p in people if _in_group(p, part))
            key = f"g:{part.grade or ''}:{part.subject or ''}"
            if members:
                units.setdefault(key, Unit(key, part.name, members, is_department=True))
            continue
        holders = people if part.everyone else [p for p in people if any(_holds(r, part) for r in p.roles)]
        if holders:
            for p in holders:
                units.setdefault(f"m:{p.id}", Unit(f"m:{p.id}", p.name, (p.id,)))
            continue
        department = tuple(p.id for p in people if p.department and p.department == part.name)
        if department:
            units.setdefault(f"d:{part.name}", Unit(f"d:{part.name}", part.name, department, is_department=True))
    return tuple(units.values())


def _holds(role: Role, part: OwnerPart) -> bool:
    if part.name in TEACHERS and (part.grade or part.subject):
        return _teaches(role, part)
    same_post = role.role == part.name or (role.role in LEADERS and part.name in LEADERS)
    return (same_post and (part.grade is None or grade_key(role.grade) == part.grade)
            and (part.subject is None or subject_key(role.subject) == part.subject))


def _in_group(person: Person, part: OwnerPart) -> bool:
    """A teacher of the group's subject and grade (its leader among them), or in a department of that name."""
    if any(_teaches(r, part) for r in person.roles):
        return True
    department = GROUP.match(DECORATION.sub("", person.department or ""))
    named = department and (grade_key(department["grade"]), subject_key(department["subject"]))
    return named == (part.grade, part.subject)


def _teaches(role: Role, part: OwnerPart) -> bool:
    subject = subject_key(role.subject)
    return ((part.grade is None or grade_key(role.grade) == part.grade)
            and (part.subject is None or subject == part.subject or subject in SUBJECT_FAMILY.get(part.subject, ())))
