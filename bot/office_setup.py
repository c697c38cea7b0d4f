"""First-run set-up of the office's pages without editing files: the password, the cookie key and
the school's calendar kept in the database. Values in config.yaml still win: they are the IT person's.

Until a password exists, anyone who can reach the pages could claim them; so set-up asks for a
one-time code that only the person at the server's console sees (printed at start, and by
`python -m bot admin setup-code`).
"""
from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from bot import texts
from bot.config import Settings
from bot.errors import UserError
from storage import office_settings
from storage.db import Database
from storage.school_calendar import Term

MIN_PASSWORD = 8
CODE_NOISE = re.compile(r"[\s\-－—]")   # spaces and dashes (ASCII or full-width) typed within the set-up code


class SetupError(UserError):
    """A password, or a line of days off, that the set-up and school pages cannot take."""


def password_hash(settings: Settings, db: Database) -> str:
    return settings.admin_web.password_hash or office_settings.get(db, office_settings.PASSWORD_HASH)


def needs_setup(settings: Settings, db: Database) -> bool:
    return not password_hash(settings, db)


def cookie_key(settings: Settings, db: Database) -> str:
    """The key that signs session cookies: the config's, else one made once and shared by every worker."""
    return settings.admin_web.secret_key or office_settings.get_or_create(db, office_settings.SECRET_KEY, lambda: secrets.token_hex(32))


def setup_code(db: Database) -> str:
    return office_settings.get_or_create(db, office_settings.SETUP_CODE,
                                         lambda: f"{secrets.randbelow(10**4):04d}-{secrets.randbelow(10**4):04d}")


def setup_code_matches(db: Database, typed: str) -> bool:
    expected = office_settings.get(db, office_settings.SETUP_CODE)
    typed = CODE_NOISE.sub("", typed or "")
    return bool(expected) and secrets.compare_digest(typed.encode("utf-8", "replace"), expected.replace("-", "").encode())


def claim_setup(db: Database, typed: str) -> bool:
    """Use the code up, in one step: of two set-ups sent at once exactly one goes on. A kill after
    this leaves no password and no code; the next start (or `admin setup-code`) makes a new code."""
    expected = office_settings.get(db, office_settings.SETUP_CODE)
    return setup_code_matches(db, typed) and office_settings.take(db, office_settings.SETUP_CODE, expected)


def finish_setup(db: Database, new_hash: str) -> bool:
    """The first password; False when one exists already (set-up is done only once)."""
    return office_settings.create(db, office_settings.PASSWORD_HASH, new_hash)


def change_password(db: Database, new_hash: str) -> None:
    """A new office password: its fingerprint differs, so every session of the old one ends."""
    office_settings.put(db, office_settings.PASSWORD_HASH, new_hash)


def yield_to_config(settings: Settings, db: Database) -> None:
    """A password in config.yaml replaces the office's: forget the office's, so that removing the
    config's later asks for a new set-up instead of bringing the old password (and its cookies) back."""
    if settings.admin_web.password_hash and office_settings.get(db, office_settings.PASSWORD_HASH):
        office_settings.drop(db, office_settings.PASSWORD_HASH)


def check_new_password(password: str, again: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise SetupError(texts.PASSWORD_TOO_SHORT.format(count=MIN_PASSWORD))
    if password != again:
        raise SetupError(texts.PASSWORDS_DIFFER)


def suggested_terms(first_year: int) -> tuple[Term, Term]:
    """A school year's usual two terms, for the office to check against the district's 校历: autumn from
    1 September to the Friday before 23 January, spring from the Monday after 20 February (after the
    Spring Festival in most years) to the Friday before 5 July."""
    year = texts.SCHOOL_YEAR_NAME.format(first=first_year, last=first_year + 1)
    return (Term(texts.FIRST_TERM_NAME.format(year=year), date(first_year, 9, 1), _friday_on_or_before(date(first_year + 1, 1, 23))),
            Term(texts.SECOND_TERM_NAME.format(year=year), _monday_on_or_after(date(first_year + 1, 2, 20)),
                      _friday_on_or_before(date(first_year + 1, 7, 5))))


def school_year_of(day: date) -> int:
    """The calendar year in which the school year containing day began (September)."""
    return day.year if day.month >= 8 else day.year - 1


DAY = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
DAYS_OFF_LINE = re.compile(rf"^\s*{DAY}(?:\s*(?:至|到|~|～|—|–|-{{1,2}})\s*(?:{DAY}))?\s*(.*)$")


def parse_days_off(text: str) -> list[tuple[date, date, str]]:
    """One day or span a line: "2027-01-01 元旦", "2027-02-10 至 2027-02-17 春节". SetupError for a line it cannot take."""
    spans = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        found = DAYS_OFF_LINE.match(line)
        try:
            if not found:
                raise ValueError
            first = date(int(found[1]), int(found[2]), int(found[3]))
            last = date(int(found[4]), int(found[5]), int(found[6])) if found[4] else first
        except ValueError:
            raise SetupError(texts.DAYS_OFF_UNREAD.format(row=number, line=line.strip()[:40])) from None
        if last < first or (last - first).days > 60:
            raise SetupError(texts.DAYS_OFF_TOO_LONG.format(row=number))
        spans.append((first, last, found[7].strip()[:100]))
    return spans


def _friday_on_or_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() - 4) % 7)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)
