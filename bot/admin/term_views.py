"""The office's terms and days off: add, change and delete them (the config's terms come back at start)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for

from bot import holiday_years
from storage import school_calendar

from .blueprint import admin
from .edges import school_date
from .extension import database, school_id, settings
from .guard import login_required


@admin.get("/terms")
@login_required
def terms():
    return render_template("admin/terms.html", terms=school_calendar.school_terms(database(), school_id()), configured=_configured(),
                           holidays=school_calendar.school_holidays(database(), school_id()), covered=holiday_years.covered_span())


@admin.post("/terms")
@login_required
def save_term():
    try:
        school_calendar.save_term(database(), school_id(), request.form.get("name", ""), _day(request.form.get("start")),
                                  _day(request.form.get("end")), request.form.get("original") or None)
    except (school_calendar.CalendarError, ValueError) as exc:
        flash(f"没有保存：{exc}")
        return redirect(url_for("admin.terms"))
    flash("学期已保存。周次、例行事项和提醒都按新的日期计算。")
    return redirect(url_for("admin.terms"))


@admin.post("/terms/delete")
@login_required
def delete_term():
    name = request.form.get("name", "")
    if name in _configured():
        flash(f"“{name}”写在配置文件里，删除后启动时会恢复；请修改它的日期，或请 IT 管理员改配置文件。")
    else:
        school_calendar.delete_term(database(), school_id(), name)
        flash(f"已删除“{name}”。")
    return redirect(url_for("admin.terms"))


@admin.post("/holidays")
@login_required
def add_holiday():
    try:
        first = _day(request.form.get("start"))
        last = _day(request.form.get("end") or request.form.get("start"))
    except ValueError as exc:
        flash(f"没有保存：{exc}")
        return redirect(url_for("admin.terms"))
    if last < first or (last - first).days > 60:
        flash("没有保存：假期的结束日期要在开始日期之后，且不超过 60 天。")
        return redirect(url_for("admin.terms"))
    day = first
    while day <= last:
        school_calendar.add_holiday(database(), school_id(), day, request.form.get("name", ""))
        day += timedelta(days=1)
    flash("假期已保存：这些天不推送提醒，例行事项也暂停。")
    return redirect(url_for("admin.terms"))


@admin.post("/holidays/delete")
@login_required
def delete_holiday():
    try:
        day = _day(request.form.get("day"))
    except ValueError as exc:
        abort(400, description=str(exc))
    school_calendar.delete_holiday(database(), school_id(), day)
    flash(f"已删除 {day.isoformat()} 的假期。")
    return redirect(url_for("admin.terms"))


def _configured() -> set[str]:
    return {t.name for t in settings().school.terms}


def _day(value: str | None) -> date:
    """A required date within the school's years; ValueError in Chinese otherwise."""
    day = school_date(value, example="2026-09-01")
    if day is None:
        raise ValueError("请填写日期，如 2026-09-01")
    return day
