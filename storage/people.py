"""Members of a school, their roles, and the people the bot meets in chat."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import chats, office_settings
from .db import Database
from .models import ChatGroup, ChatMembership, Member, MemberRole

ID_COLUMNS = {"dingtalk": "dingtalk_user_id", "wecom": "wecom_user_id"}
# Changed in the transaction of every write to members or roles (any school's), so a process may keep the
# rosters it read until this changes (bot.progress): one small read a message instead of the whole roster.
# Its row exists from migration 0013 on, so concurrent writers only update it.
REVISION = "roster_revision"
# A console sender acting as a roster member (`python -m bot chat --as`). No OS user name holds a colon.
CONSOLE_MEMBER = "member:"


@dataclass(frozen=True)
class RoleRow:
    role: str
    grade: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class NewMember:
    """One roster line, as storage takes it."""
    name: str
    roles: tuple[RoleRow, ...] = ()
    department: str | None = None
    mobile: str | None = None
    dingtalk_user_id: str | None = None
    wecom_user_id: str | None = None
    is_admin: bool = False


@dataclass(frozen=True)
class MemberRow(NewMember):
    """A member as stored: the roster line, with its id."""
    id: int = field(kw_only=True)


@dataclass(frozen=True)
class RosterResult:
    added: int
    updated: int
    roles: int


# Built once: these run for every chat message, and building a statement costs more than running it.
MEMBERS = (select(Member.id, Member.name, Member.department, Member.mobile, Member.dingtalk_user_id,
                  Member.wecom_user_id, Member.is_admin).where(Member.school_id == bindparam("school_id")).order_by(Member.id))
ROLES = (select(MemberRole.member_id, MemberRole.role, MemberRole.grade, MemberRole.subject)
         .join(Member, Member.id == MemberRole.member_id).where(Member.school_id == bindparam("school_id")))
SENDER = {column: select(Member.id, Member.is_admin).where(Member.school_id == bindparam("school_id"),
                                                           getattr(Member, column) == bindparam("user_id"))
          for column in ID_COLUMNS.values()}
BY_ID = select(Member.id, Member.is_admin).where(Member.school_id == bindparam("school_id"),
                                                Member.id == bindparam("member_id"))
JOINED = (select(ChatMembership.member_id).join(ChatGroup, ChatGroup.id == ChatMembership.chat_id)
          .where(ChatGroup.platform == bindparam("platform"), ChatGroup.conversation_id == bindparam("conversation_id"),
                 ChatMembership.member_id == bindparam("member_id")))


def load_members(db: Database, school_id: int) -> list[MemberRow]:
    with db.read() as s:
        members = s.execute(MEMBERS, {"school_id": school_id}).all()
        roles = s.execute(ROLES, {"school_id": school_id}).all()
    by_member: dict[int, list[RoleRow]] = {}
    for member_id, role, grade, subject in roles:
        by_member.setdefault(member_id, []).append(RoleRow(role, grade, subject))
    return [MemberRow(m.name, tuple(by_member.get(m.id, ())), m.department, m.mobile, m.dingtalk_user_id,
                      m.wecom_user_id, m.is_admin, id=m.id) for m in members]


def roster_revision(db: Database) -> str:
    """Changes whenever any school's members or their roles do."""
    return office_settings.get(db, REVISION)


def _changed(s: Session) -> None:
    office_settings.put_in(s, REVISION, uuid.uuid4().hex)


def import_roster(db: Database, school_id: int, entries: list[NewMember]) -> RosterResult:
    """All or nothing. A person already known (by platform id, by name and mobile, or by a unique
    name) is updated and keeps their reports; their roles are replaced by the roster's."""
    added = updated = roles = 0
    with db.transaction() as s:
        for entry in entries:
            member, is_new = _found_or_added(s, school_id, _match(s, school_id, entry), entry.name)
            added, updated = added + is_new, updated + (not is_new)
            member.name, member.department, member.is_admin = entry.name, entry.department, entry.is_admin
            member.mobile = entry.mobile or member.mobile
            member.dingtalk_user_id = entry.dingtalk_user_id or member.dingtalk_user_id
            member.wecom_user_id = entry.wecom_user_id or member.wecom_user_id
            s.flush()
            roles += _set_roles(s, member.id, entry.roles)
        _changed(s)
    return RosterResult(added, updated, roles)


def _set_roles(s: Session, member_id: int, roles: tuple[RoleRow, ...]) -> int:
    s.execute(delete(MemberRole).where(MemberRole.member_id == member_id))
    s.add_all(MemberRole(member_id=member_id, role=r.role, grade=r.grade, subject=r.subject) for r in roles)
    s.flush()
    return len(roles)


def _roles_of(s: Session, member_id: int) -> set[tuple]:
    return {(r.role, r.grade, r.subject) for r in s.scalars(select(MemberRole).where(MemberRole.member_id == member_id))}


def _role_keys(roles: tuple[RoleRow, ...]) -> set[tuple]:
    return {(r.role, r.grade, r.subject) for r in roles}


def _match(s: Session, school_id: int, entry: NewMember) -> Member | None:
    in_school = select(Member).where(Member.school_id == school_id)
    for column in ("dingtalk_user_id", "wecom_user_id"):
        value = getattr(entry, column)
        if value:
            found = s.scalar(in_school.where(getattr(Member, column) == value))
            if found is not None:
                return found
    if entry.mobile:
        found = s.scalar(in_school.where(Member.name == entry.name, Member.mobile == entry.mobile))
        if found is not None:
            return found
    namesakes = list(s.scalars(in_school.where(Member.name == entry.name)))
    return namesakes[0] if len(namesakes) == 1 and not _conflicts(namesakes[0], entry) else None


def _conflicts(member: Member, entry: NewMember) -> bool:
    """Two different ids on one platform: two people who share a name."""
    return any(getattr(entry, c) and getattr(member, c) and getattr(entry, c) != getattr(member, c)
               for c in ("dingtalk_user_id", "wecom_user_id", "mobile"))


@dataclass(frozen=True)
class Sender:
    member_id: int
    is_admin: bool       # marked admin in the roster


def meet(db: Database, school_id: int, platform: str, user_id: str, name: str,
         conversation_id: str | None = None, chat_name: str = "") -> Sender | None:
    """The member who sent a message: found by platform id, or a roster entry of that name without
    one (the id is learned), or created. Remembers that they are in the group. None off-platform,
    except on the console acting as a member (console_sender_id)."""
    if platform == "console":
        return _console_member(db, school_id, user_id)
    column = ID_COLUMNS.get(platform)
    if column is None or not user_id:
        return None
    known = _already_known(db, school_id, platform, column, user_id, conversation_id)
    if known is not None:
        return known
    for attempt in (1, 2):   # two first messages from one person may race; the loser finds the winner's row
        try:
            with db.transaction() as s:
                member = _known(s, school_id, column, user_id, name)
                if conversation_id:
                    _join(s, school_id, platform, conversation_id, chat_name, member.id)
                return Sender(member.id, member.is_admin)
        except IntegrityError:
            if attempt == 2:
                raise
    return None


def console_sender_id(member_id: int) -> str:
    return f"{CONSOLE_MEMBER}{member_id}"


def _console_member(db: Database, school_id: int, user_id: str) -> Sender | None:
    number = user_id.removeprefix(CONSOLE_MEMBER) if user_id.startswith(CONSOLE_MEMBER) else ""
    if not (number.isascii() and number.isdigit()):
        return None   # the OS user, who is on no roster
    with db.read() as s:
        member = s.execute(BY_ID, {"school_id": school_id, "member_id": int(number)}).first()
    return Sender(member.id, member.is_admin) if member else None


def _already_known(db: Database, school_id: int, platform: str, column: str, user_id: str,
                   conversation_id: str | None) -> Sender | None:
    """The common case, read-only: someone seen before, writing where they wrote before."""
    with db.read() as s:
        member = s.execute(SENDER[column], {"school_id": school_id, "user_id": user_id}).first()
        if member is None:
            return None
        if conversation_id:
            joined = s.execute(JOINED, {"platform": platform, "conversation_id": conversation_id,
                                        "member_id": member.id}).first()
            if joined is None:
                return None
    return Sender(member.id, member.is_admin)


def _known(s: Session, school_id: int, column: str, user_id: str, name: str) -> Member:
    # A chat nickname is typed by the sender: it may claim only a roster row that holds no admin rights.
    member = _by_platform_id(s, school_id, column, user_id, name, name_may_claim_admin=False)
    if member is None:
        member = Member(school_id=school_id, name=name or user_id)
        s.add(member)
    if getattr(member, column) != user_id:   # someone new, or a roster entry learning its id: the roster changed
        setattr(member, column, user_id)
        _changed(s)
    s.flush()
    return member


def _by_platform_id(s: Session, school_id: int, column: str, user_id: str, name: str,
                    mobile: str | None = None, name_may_claim_admin: bool = True) -> Member | None:
    """Someone with this platform id; else someone without one with this mobile, or the only one of this name
    (from a chat nickname, only someone who is no admin: admin rights never come from a name)."""
    in_school = select(Member).where(Member.school_id == school_id)
    member = s.scalar(in_school.where(getattr(Member, column) == user_id))
    if member is not None:
        return member
    unlinked = in_school.where(getattr(Member, column).is_(None))
    if mobile:
        member = s.scalar(unlinked.where(Member.mobile == mobile))
        if member is not None:
            return member
    namesakes = list(s.scalars(unlinked.where(Member.name == name))) if name else []
    if len(namesakes) != 1 or (namesakes[0].is_admin and not name_may_claim_admin):
        return None
    return namesakes[0]


def _join(s: Session, school_id: int, platform: str, conversation_id: str, chat_name: str, member_id: int) -> None:
    chat = chats.chat_in(s, platform, conversation_id, name=chat_name, school_id=school_id)
    s.flush()
    if s.get(ChatMembership, (chat.id, member_id)) is None:
        s.add(ChatMembership(chat_id=chat.id, member_id=member_id))
        s.flush()


@dataclass(frozen=True)
class DirectoryEntry:
    user_id: str
    name: str
    mobile: str | None = None
    department: str | None = None
    roles: tuple[RoleRow, ...] = ()     # from the directory's job title, when it names any


def merge_directory(db: Database, school_id: int, platform: str, entries: list[DirectoryEntry]) -> RosterResult:
    """Take ids, names, mobiles and departments from a platform's directory. Roles change only where
    the job title names some; admin marks stay as the roster set them."""
    column = ID_COLUMNS[platform]
    added = updated = roles = 0
    changed = False
    with db.transaction() as s:
        for entry in entries:
            found = _by_platform_id(s, school_id, column, entry.user_id, entry.name, entry.mobile)
            member, is_new = _found_or_added(s, school_id, found, entry.name)
            added, updated = added + is_new, updated + (not is_new)
            setattr(member, column, entry.user_id)
            member.name = entry.name or member.name
            member.mobile = entry.mobile or member.mobile
            member.department = entry.department or member.department
            changed = changed or is_new or s.is_modified(member)
            s.flush()
            if entry.roles:
                changed = changed or _roles_of(s, member.id) != _role_keys(entry.roles)
                roles += _set_roles(s, member.id, entry.roles)
        if changed:   # a directory sync that changed nothing keeps every process's roster
            _changed(s)
    return RosterResult(added, updated, roles)


def set_admin(db: Database, school_id: int, member_id: int, is_admin: bool) -> None:
    with db.transaction() as s:
        member = s.scalar(select(Member).where(Member.id == member_id, Member.school_id == school_id))
        if member is not None:
            member.is_admin = is_admin
            _changed(s)


def _found_or_added(s: Session, school_id: int, found: Member | None, name: str) -> tuple[Member, bool]:
    """The member found, or a new one added under this name; and whether it is new."""
    if found is not None:
        return found, False
    member = Member(school_id=school_id, name=name)
    s.add(member)
    return member, True
