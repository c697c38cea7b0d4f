"""Values from the office's URLs and forms, checked where they enter: ids a row can have, dates
the school can mean, rhythms the bot can read. What fails here is a 404 or a Chinese message,
never an overflow deep in the database or the calendar arithmetic."""
from __future__ import annotations

from datetime import date

from flask import Blueprint
from werkzeug.routing import IntegerConverter

from bot import texts
from bot.timegrammar.recurrence import Recurrence

from .refusals import FormError

MAX_ID = 2**31 - 1          # ids are INTEGER: PostgreSQL refuses a larger one with an error, so it names no row
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)   # far from date.min/max, so a week or month either side is safe
DATE_WORDS = texts.DATE_RANGE.format(first=FIRST_DAY.year, last=LAST_DAY.year)


class RowIdConverter(IntegerConverter):
    """<id:name> in a route: ASCII digits naming a possible row (1…MAX_ID); anything else is a 404."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def use_row_ids(bp: Blueprint) -> None:
    """Call before the blueprint's routes: the converter must exist when they are added to the app."""
    bp.record_once(lambda state: state.app.url_map.converters.setdefault("id", RowIdConverter))


def holds_nul(req) -> bool:
    """Whether any query or form value, or an upload's name, has a NUL: PostgreSQL refuses it in text,
    and no field of ours means one, so the request is refused whole before a view looks anything up."""
    values = [v for _, vs in req.args.lists() for v in vs] + [v for _, vs in req.form.lists() for v in vs]
    values += [f.filename or "" for f in req.files.values()]
    return any("\x00" in v for v in values)


def whole_number(value: object) -> int | None:
    """A form field as a number ≥ 0, else None: "²" and "٣" are digits to str.isdigit but not to int() or
    to us, and thousands of digits are refused before int() is asked to read them."""
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else None


def row_id(value: object) -> int | None:
    number = whole_number(value)
    return number if number is not None and 1 <= number <= MAX_ID else None


def school_date(value: str | None, example: str = "2026-10-12") -> date | None:
    """An ISO date within the school's years; None when empty; FormError otherwise."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if value.isascii() else None
    except ValueError:
        day = None
    if day is None:
        raise FormError(texts.DATE_FORMAT.format(example=example))
    if not FIRST_DAY <= day <= LAST_DAY:
        raise FormError(texts.DATE_OUT_OF_RANGE.format(range=DATE_WORDS, value=value))
    return day


def clamped(day: date) -> date:
    """A day to show, moved inside the school's years (calendar navigation just stops at the ends)."""
    return min(max(day, FIRST_DAY), LAST_DAY)


def checked_recurrence(value: str | None, current: str | None = None) -> str | None:
    """The rhythm to store: empty for none, the task's own code unchanged, or a code the bot reads back
    exactly; anything else (a hand-edited "weekly:zz", "monthly:by99") is a FormError."""
    value = (value or "").strip()
    if not value or value == current:
        return value or None
    try:
        parsed = Recurrence.parse(value)
    except ValueError:   # "monthly:by²": isdigit() says yes, int() says no
        parsed = None
    if parsed is None or parsed.code != value or (parsed.by_day is not None and not 1 <= parsed.by_day <= 31):
        raise FormError(texts.RHYTHM_UNREAD.format(value=value[:40]))
    return value
