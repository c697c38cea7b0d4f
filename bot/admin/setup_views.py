"""First-run set-up (/admin/setup) and the school's own settings (/admin/school): the office sets the
school's name, terms, days off and password here instead of in config.yaml."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from bot import office_setup, schools, texts
from bot.config import DEFAULT_SCHOOL_NAME
from bot.errors import UserError
from storage import office, plans, school_calendar
from storage.db import Database
from storage.school_calendar import Term

from .blueprint import admin
from .edges import school_date
from .extension import database, school, school_id, school_renamed, settings, today
from .guard import FAILURE_WINDOW, MAX_FAILURES, client_ip, current_password_hash, login_required, start_session
from .refusals import FormError, refuse_on_page

TERM_ROWS = 2
YEAR = re.compile(r"((?:19|20)\d{2})")


@admin.route("/setup", methods=["GET", "POST"])
def setup():
    db = database()
    if not office_setup.needs_setup(settings(), db):
        return redirect(url_for("admin.home"))
    home = school_id()
    if request.method == "GET":
        return render_template("admin/setup.html", form=_prefilled(db, home, today()))
    form = request.form
    if not office.reserve_attempt(db, client_ip(), MAX_FAILURES, FAILURE_WINDOW):
        return render_template("admin/setup.html", form=form, error=texts.TOO_MANY_ATTEMPTS), 429
    if not office_setup.setup_code_matches(db, form.get("code", "")):
        return render_template("admin/setup.html", form=form, error=texts.WRONG_SETUP_CODE), 401
    office.give_back_attempt(db, client_ip())
    refuse_on_page("admin/setup.html", form=form)
    chosen = _checked_setup(db, home, form)   # everything is checked before anything is written
    if not office_setup.claim_setup(db, form.get("code", "")):
        return render_template("admin/error.html", message=texts.SETUP_DONE_ELSEWHERE), 409   # another browser was a moment faster
    _save_school(db, home, chosen)
    new_hash = generate_password_hash(form["password"])
    if not office_setup.finish_setup(db, new_hash):   # the password last: until it is kept, set-up can be redone
        return render_template("admin/error.html", message=texts.SETUP_DONE_ELSEWHERE), 409
    start_session(db, new_hash)
    flash(texts.SETUP_DONE)
    return redirect(url_for("admin.home"))


@admin.route("/school", methods=["GET", "POST"])
@login_required
def school_settings():
    db, home = database(), school()
    page = {"name": home.name, "password_in_config": bool(settings().admin_web.password_hash)}
    if request.method == "GET":
        return render_template("admin/school.html", **page)
    form = request.form
    refuse_on_page("admin/school.html", **(page | {"name": form.get("school_name", "")}))
    if form.get("school_name", "").strip() and form["school_name"].strip() != page["name"]:
        schools.rename_school(db, home.id, form["school_name"])
        school_renamed()
        flash(texts.SCHOOL_RENAMED.format(name=school().name))
    if form.get("password") and not page["password_in_config"]:
        if not office.reserve_attempt(db, client_ip(), MAX_FAILURES, FAILURE_WINDOW):
            return render_template("admin/school.html", **page, error=texts.TOO_MANY_ATTEMPTS), 429
        if not check_password_hash(current_password_hash(), form.get("current_password", "")):
            raise FormError(texts.WRONG_CURRENT_PASSWORD)
        office.give_back_attempt(db, client_ip())
        office_setup.check_new_password(form["password"], form.get("password_again", ""))
        new_hash = generate_password_hash(form["password"])
        office_setup.change_password(db, new_hash)   # every other session ends with the old password
        start_session(db, new_hash)
        flash(texts.PASSWORD_CHANGED)
    return redirect(url_for("admin.school_settings"))


@dataclass(frozen=True)
class SchoolSetup:
    name: str
    terms: list[tuple[str, Term]]
    days_off: list[tuple[date, date, str]]


def _checked_setup(db: Database, school: int, form) -> SchoolSetup:
    """The set-up form read and checked whole; a UserError for the first thing wrong."""
    office_setup.check_new_password(form.get("password", ""), form.get("password_again", ""))
    terms = _terms_from(form, school_calendar.school_terms(db, school))
    days_off = office_setup.parse_days_off(form.get("days_off", ""))
    return SchoolSetup(schools.checked_school_name(db, school, form.get("school_name", "")), terms, days_off)


def _save_school(db: Database, school: int, chosen: SchoolSetup) -> None:
    try:
        schools.rename_school(db, school, chosen.name)
        for original, term in chosen.terms:
            schools.save_term(db, school, term.name, term.start, term.end, original or None)
    except UserError as exc:   # a race with another page: set-up goes on
        flash(texts.SETUP_PARTLY_SAVED.format(problem=exc))
    _add_days_off(db, school, chosen.days_off)


def _prefilled(db: Database, school: int, day: date) -> dict:
    """The form as first shown: the school's terms if it has them, else the usual two for the school
    year of the newest plan (or of today)."""
    name = plans.school_name(db, school)
    form = {"school_name": "" if name == DEFAULT_SCHOOL_NAME else name}
    terms = school_calendar.school_terms(db, school)
    if not terms:
        stored = [p.school_year for p in plans.list_plans(db, school) if p.school_year and YEAR.search(p.school_year)]
        year = int(YEAR.search(stored[0])[1]) if stored else office_setup.school_year_of(day)
        terms = office_setup.suggested_terms(year)
        form["terms_guessed"] = "1"
    for index, term in enumerate(terms[:TERM_ROWS]):
        form |= {f"term{index}_name": term.name, f"term{index}_start": term.start.isoformat(),
                 f"term{index}_end": term.end.isoformat(), f"term{index}_original": "" if form.get("terms_guessed") else term.name}
    return form


def _terms_from(form, existing) -> list[tuple[str, Term]]:
    """The filled term rows as (the name it had, the term); a row left empty is skipped. FormError
    when two rows would share a name, or a row renames its term onto another stored term's name."""
    terms = []
    for index in range(TERM_ROWS):
        name = " ".join(form.get(f"term{index}_name", "").split())[:100]
        start, end = form.get(f"term{index}_start", ""), form.get(f"term{index}_end", "")
        if not (name or start or end):
            continue
        first, last = school_date(start, example="2026-09-01"), school_date(end, example="2027-01-22")
        if not name or first is None or last is None:
            raise FormError(texts.TERM_ROW_INCOMPLETE.format(row=index + 1))
        if last < first:
            raise FormError(texts.TERM_ROW_ENDS_EARLY.format(row=index + 1, name=name))
        terms.append((form.get(f"term{index}_original", ""), Term(name, first, last)))
    if not terms:
        raise FormError(texts.TERMS_NONE)
    names = [term.name for _, term in terms]
    others = {t.name for t in existing}   # a row named like a stored term updates it; a rename must not land on another
    taken = next((term.name for original, term in terms
                  if names.count(term.name) > 1 or (original and original != term.name and term.name in others)), None)
    if taken:
        raise FormError(texts.TERM_NAME_TWICE.format(name=taken))
    return terms


def _add_days_off(db: Database, school: int, spans) -> None:
    for first, last, name in spans:
        school_calendar.add_holidays(db, school, (first + timedelta(days=n) for n in range((last - first).days + 1)), name)
