"""This install's own school, and whose word counts for it: the config's (config.yaml's `school`:
name and terms, the IT person's) or the office's, typed on its pages.

The config names the school until the office renames it on the set-up or school page. The config's
terms are added and kept to its dates until the office takes the term list over: a term whose dates
the office saved keeps them, and once it has edited any term, a config term it renamed or deleted is
not brought back.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from datetime import date

from bot import texts
from bot.errors import UserError
from storage import plans, school_calendar
from storage.db import Database
from storage.school_calendar import Term, school_terms

NAME_CHARS = 100


class SchoolNameTaken(UserError):
    """The name the office typed is empty or another school's."""


class TermError(UserError):
    """A term the office typed cannot be kept: no name, it ends before it starts, or another term has the name."""


def config_term_writes(configured: Iterable[Term], stored: Sequence[Term]) -> list[Term]:
    """The config's terms to write over the stored ones: a missing one unless the office took the list
    over, a stored one the office never edited whose dates differ."""
    took_over = any(t.edited for t in stored)
    by_name = {t.name: t for t in stored}
    writes = []
    for spec in configured:
        term = by_name.get(spec.name)
        if (term is None and not took_over) or (term is not None and not term.edited and (term.start, term.end) != (spec.start, spec.end)):
            writes.append(spec)
    return writes


def school_name_from(text: str) -> str:
    """A name as it is kept: one space between words, at most 100 characters."""
    return " ".join(text.split())[:NAME_CHARS]


def home_school(db: Database, school) -> int:
    """The school pinned as this install's own (config `school`: name, terms), kept by id so that the
    office can rename it; created from the config on first need."""
    school_id = plans.home_school_id(db)
    if school_id is None:
        school_id = ensure_school(db, school.name, school.terms)
        plans.pin_home_school(db, school_id)
        return school_id
    if not plans.named_by_office(db) and plans.school_name(db, school_id) != school.name:
        _take_config_name(db, school_id, school.name)
    sync_config_terms(db, school_id, school.terms)
    return school_id


def ensure_school(db: Database, name: str, terms=()) -> int:
    """The school with this name, created if need be, with the configured terms (name, start, end) synced."""
    school_id = plans.ensure_school(db, name)
    sync_config_terms(db, school_id, terms)
    return school_id


def sync_config_terms(db: Database, school_id: int, terms) -> None:
    """The config's terms as config_term_writes() says; nothing is written when they are in place."""
    if terms and config_term_writes(terms, school_terms(db, school_id)):
        plans.put_terms(db, school_id, lambda stored: config_term_writes(terms, stored))


def checked_school_name(db: Database, school_id: int, name: str) -> str:
    """The name as it would be kept; SchoolNameTaken when it is empty or another school's."""
    name = school_name_from(name)
    if not name:
        raise SchoolNameTaken(texts.SCHOOL_NAME_EMPTY)
    if plans.school_name_taken(db, school_id, name):
        raise SchoolNameTaken(texts.SCHOOL_NAME_TAKEN.format(name=name))
    return name


def rename_school(db: Database, school_id: int, name: str) -> None:
    """The office's name for the school: from now on the config's name no longer applies."""
    name = checked_school_name(db, school_id, name)
    try:
        plans.set_school_name(db, school_id, name, by_office=True)
    except plans.NameTaken as exc:
        raise SchoolNameTaken(texts.SCHOOL_NAME_TAKEN.format(name=name)) from exc


def save_term(db: Database, school_id: int, name: str, start: date, end: date, original: str | None = None) -> None:
    """The office's term (renaming `original` if given), kept as storage keeps it; TermError when it cannot be."""
    try:
        school_calendar.save_term(db, school_id, name, start, end, original)
    except school_calendar.TermNameMissing as exc:
        raise TermError(texts.TERM_NAME_EMPTY) from exc
    except school_calendar.TermEndsBeforeStart as exc:
        raise TermError(texts.TERM_ENDS_EARLY) from exc
    except school_calendar.TermNameTaken as exc:
        raise TermError(texts.TERM_NAME_TAKEN.format(name=exc.args[0])) from exc


def _take_config_name(db: Database, school_id: int, name: str) -> None:
    """The config's name, unless the office named the school meanwhile (storage checks under the same lock)."""
    name = school_name_from(name)
    if not name:
        return
    try:
        plans.set_school_name(db, school_id, name, by_office=False)
    except plans.NameTaken:
        pass   # the config names another school of this install: keep the name we have
