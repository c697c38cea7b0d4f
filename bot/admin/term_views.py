"""The office's terms and days off: add, change and delete them (the config's terms come back at start)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for

from bot import holiday_years, schools, texts
from storage import school_calendar

from .blueprint import admin
from .edges import school_date
from .extension import database, school_id, settings
from .guard import login_required
from .refusals import FormError, refuse_by_flash


@admin.get("/terms")
@login_required
def terms():
    return render_template("admin/terms.html", terms=school_calendar.school_terms(database(), school_id()), configured=_configured(),
                           holidays=school_calendar.school_holidays(database(), school_id()), covered=holiday_years.covered_span())


@admin.post("/terms")
@login_required
def save_term():
    refuse_by_flash("admin.terms", texts.NOT_SAVED)
    schools.save_term(database(), school_id(), request.form.get("name", ""), _day(request.form.get("start")),
                      _day(request.form.get("end")), request.form.get("original") or None)
    flash(texts.TERM_SAVED)
    return redirect(url_for("admin.terms"))


@admin.post("/terms/delete")
@login_required
def delete_term():
    name = request.form.get("name", "")
    if name in _configured():
        flash(texts.TERM_IN_CONFIG.format(name=name))
    else:
        school_calendar.delete_term(database(), school_id(), name)
        flash(texts.TERM_DELETED.format(name=name))
    return redirect(url_for("admin.terms"))


@admin.post("/holidays")
@login_required
def add_holiday():
    refuse_by_flash("admin.terms", texts.NOT_SAVED)
    first = _day(request.form.get("start"))
    last = _day(request.form.get("end") or request.form.get("start"))
    if last < first or (last - first).days > 60:
        flash(texts.HOLIDAY_TOO_LONG)
        return redirect(url_for("admin.terms"))
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    school_calendar.add_holidays(database(), school_id(), days, request.form.get("name", ""))
    flash(texts.HOLIDAY_SAVED)
    return redirect(url_for("admin.terms"))


@admin.post("/holidays/delete")
@login_required
def delete_holiday():
    day = _day(request.form.get("day"))   # a FormError shows on the error page
    school_calendar.delete_holiday(database(), school_id(), day)
    flash(texts.HOLIDAY_DELETED.format(day=day.isoformat()))
    return redirect(url_for("admin.terms"))


def _configured() -> set[str]:
    return {t.name for t in settings().school.terms}


def _day(value: str | None) -> date:
    """A required date within the school's years; FormError otherwise."""
    day = school_date(value, example="2026-09-01")
    if day is None:
        raise FormError(texts.DATE_REQUIRED)
    return day
