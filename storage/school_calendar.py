"""A school's terms and its own holidays, as the office keeps them.

The config's `school.terms` seed the table; once the office changes a term's dates on its
page, the config no longer overrides them (see bot.schools). `Term` is the one term
value the bot knows, whether read from the config, from this table or typed on the office's set-up form.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from .db import Database
from .models import Holiday
from .models import Term as TermTable
from .models import utcnow


@dataclass(frozen=True)
class Term:
    """A term's first and last day; as stored, also the school's own days off in it."""
    name: str
    start: date
    end: date
    edited: bool = False                      # the office changed its dates: the config's no longer apply
    days_off: frozenset[date] = frozenset()   # the school's own holidays within the term


TERMS = (select(TermTable.name, TermTable.start_date, TermTable.end_date, TermTable.edited_at)
         .where(TermTable.school_id == bindparam("school_id")).order_by(TermTable.start_date))

HOLIDAY_DAYS = select(Holiday.day).where(Holiday.school_id == bindparam("school_id"))


class CalendarError(Exception):
    """A term the table cannot keep; the subclass says why, without words (bot.schools words it)."""


class TermNameMissing(CalendarError):
    pass


class TermEndsBeforeStart(CalendarError):
    pass


class TermNameTaken(CalendarError):
    """Another term of the school has the name; args: the name."""


def school_terms(db: Database, school_id: int) -> tuple[Term, ...]:
    with db.read() as s:
        terms = s.execute(TERMS, {"school_id": school_id}).all()
        days = [d for (d,) in s.execute(HOLIDAY_DAYS, {"school_id": school_id})] if terms else []
    return tuple(Term(n, s, e, at is not None, frozenset(d for d in days if s <= d <= e)) for n, s, e, at in terms)


def save_term(db: Database, school_id: int, name: str, start: date, end: date, original: str | None = None) -> None:
    name = name.strip()[:100]
    if not name:
        raise TermNameMissing()
    if end < start:
        raise TermEndsBeforeStart(name)
    try:
        with db.transaction() as s:
            term = s.scalar(select(TermTable).where(TermTable.school_id == school_id, TermTable.name == (original or name)))
            if term is None:
                term = TermTable(school_id=school_id)
                s.add(term)
            term.name, term.start_date, term.end_date, term.edited_at = name, start, end, utcnow()
    except IntegrityError as exc:
        raise TermNameTaken(name) from exc


def delete_term(db: Database, school_id: int, name: str) -> None:
    with db.transaction() as s:
        s.execute(delete(TermTable).where(TermTable.school_id == school_id, TermTable.name == name))


def school_holidays(db: Database, school_id: int) -> list[tuple[date, str]]:
    with db.read() as s:
        return [(d, n) for d, n in s.execute(select(Holiday.day, Holiday.name).where(Holiday.school_id == school_id)
                                                 .order_by(Holiday.day))]


def add_holiday(db: Database, school_id: int, day: date, name: str) -> None:
    add_holidays(db, school_id, (day,), name)


def add_holidays(db: Database, school_id: int, days: Iterable[date], name: str) -> None:
    """The days off under one name, in one transaction; a day already kept is renamed."""
    days, name = sorted(set(days)), name.strip()[:100]
    if not days:
        return
    for _ in range(2):   # two workers adding the same day at once: the second finds the first's rows
        try:
            with db.transaction() as s:
                found = {h.day: h for h in s.scalars(select(Holiday).where(Holiday.school_id == school_id, Holiday.day.in_(days)))}
                for day in days:
                    if day in found:
                        found[day].name = name
                    else:
                        s.add(Holiday(school_id=school_id, day=day, name=name))
            return
        except IntegrityError:
            continue


def delete_holiday(db: Database, school_id: int, day: date) -> None:
    with db.transaction() as s:
        s.execute(delete(Holiday).where(Holiday.school_id == school_id, Holiday.day == day))
