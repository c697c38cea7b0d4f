"""Signing in and out, the home page (the morning's dashboard), the board of who has reported, and
the page with the calendar feeds' links."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from bot import holiday_years, texts
from bot.progress import SchoolProgress
from bot.reminders.groups import reminder_groups
from bot.task_dates import dated_range
from storage import chats, office, plans
from storage.school_calendar import school_terms

from .blueprint import admin
from .dashboard import dashboard
from .edges import whole_number
from .extension import database, now, school_id, settings, today
from .guard import current_password_hash, login_required, sign_out_everywhere, try_password
from .task_filters import term_on


@admin.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("admin/login.html")
    outcome = try_password(database(), current_password_hash(), request.form.get("password", ""))
    if outcome is None:
        return render_template("admin/login.html", error=texts.TOO_MANY_ATTEMPTS), 429
    if not outcome:
        return render_template("admin/login.html", error=texts.WRONG_PASSWORD), 401
    target = request.args.get("next", "")
    return redirect(target if _own_page(target) else url_for("admin.home"))


@admin.post("/logout")
def logout():
    sign_out_everywhere(database())   # every session ends, cookies copied before included
    return redirect(url_for("admin.login"))


@admin.get("/")
@login_required
def home():
    board = dashboard(settings(), database(), school_id(), now())
    return render_template("admin/home.html", board=board, plans=plans.list_plans(database(), school_id()))


@admin.post("/holidays/confirm")
@login_required
def confirm_holidays():
    year = whole_number(request.form.get("year"))
    if year is None or not 2000 <= year <= 2099:
        abort(400, description=texts.BAD_YEAR)
    holiday_years.confirm(database(), school_id(), year)
    flash(texts.HOLIDAYS_CONFIRMED.format(year=year))
    return redirect(url_for("admin.home"))


@admin.get("/board")
@login_required
def board():
    db, school, day = database(), school_id(), today()
    term = term_on(school_terms(db, school), day)
    rows = [t for t in plans.list_tasks(db, school) if dated_range(t, term)]
    roster = SchoolProgress(db, school, day, term, settings().tz)
    progress = roster.with_reads(roster.of(rows))
    entries = []
    for task in rows:
        first, last = dated_range(task, term)
        p = progress[task.id]
        overdue = last < day and p.total > 0 and p.count("done") < p.total
        entries.append((not overdue, last, task, p, overdue))
    entries.sort(key=lambda e: (e[0], e[1]))
    groups = [(chat, set(chats.member_ids(db, chat.id))) for chat in chats.school_chats(db, school)]
    groups = [(chat, members) for chat, members in groups if members]   # webhook groups: nobody known to count
    cells = {(t.id, chat.id): _group_tally(p, members) for _, _, t, p, _ in entries for chat, members in groups}
    return render_template("admin/board.html", entries=[(t, p, o, dated_range(t, term)) for _, _, t, p, o in entries],
                           groups=[chat for chat, _ in groups], cells=cells)


@admin.route("/feed", methods=["GET", "POST"])
@login_required
def feed():
    renew = request.method == "POST"
    token = office.feed_token(database(), school_id(), renew=renew)
    groups = [(g.name, url_for("feeds.group_feed", token=token, group_id=g.id, _external=True))
              for g in reminder_groups(database(), settings().wecom_bot.long_connection) if g.school_id in (None, school_id())]
    return render_template("admin/feed.html", url=url_for("feeds.school_feed", token=token, _external=True),
                           groups=groups, renewed=renew)


def _own_page(target: str) -> bool:
    """A ?next= worth following after sign-in: one of our pages, nothing a header cannot carry."""
    return target.startswith("/admin") and target.isprintable() and "\\" not in target


def _group_tally(progress, members: set[int]) -> str:
    """The task's tally among the units with someone in this group."""
    here = [state for state in progress.states if members & set(state.unit.member_ids)]
    return f"{sum(1 for s in here if s.status == 'done')}/{len(here)}" if here else ""
