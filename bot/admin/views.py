"""The office's pages under /admin: sign in, upload and review a plan, correct tasks, calendar, board.

Views only translate between forms and the use-cases in storage and bot; all words on
the pages are in the templates.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from bot import holiday_years, office_setup, texts
from bot.config import Settings
from bot.progress import SchoolProgress
from bot.task_dates import dated_range, term_now_or_next
from storage import chats, office, plans, task_edits
from storage.db import Database
from storage.school_calendar import school_terms
from storage.task_edits import EditError, TaskChange

from .calendar_views import add_calendar_views
from .dashboard import dashboard
from .edges import checked_recurrence, holds_nul, row_id, school_date, use_row_ids, whole_number
from .guard import (
    check_csrf,
    csrf_token,
    current_password_hash,
    login_required,
    sign_out_everywhere,
    signed_in,
    try_password,
)
from .plan_views import add_plan_views
from .settings_views import add_settings_views, add_term_views
from .setup_views import add_setup_views
from .task_filters import KINDS, TaskFilter, marks_of, matching, owners_of


def admin_blueprint(settings: Settings, database: Database) -> Blueprint:
    bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static")
    use_row_ids(bp)

    def school_id() -> int:
        """This install's school, resolved once per request."""
        if "school_id" not in g:
            g.school_id = plans.home_school(database, settings.school)
        return g.school_id

    def today() -> date:
        return datetime.now(settings.tz).date()

    @bp.before_request
    def configured_and_csrf():
        if request.endpoint == "admin.static":
            return None   # the style sheet serves the set-up page too
        if holds_nul(request):
            abort(400, description="请求中含有无效字符，请返回重试。")
        if request.endpoint != "admin.setup" and office_setup.needs_setup(settings, database):
            return redirect(url_for("admin.setup"))
        check_csrf()
        return None

    @bp.context_processor
    def page_globals():
        return {"csrf_token": csrf_token, "signed_in": signed_in(), "school_name": plans.school_name(database, school_id()),
                "describe_when": _describe_when, "local_time": lambda stored: local_time(stored, settings.tz)}

    @bp.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            return render_template("admin/login.html")
        outcome = try_password(database, current_password_hash(), request.form.get("password", ""))
        if outcome is None:
            return render_template("admin/login.html", error="尝试次数过多，请 15 分钟后再试。"), 429
        if not outcome:
            return render_template("admin/login.html", error="密码不对。"), 401
        target = request.args.get("next", "")
        return redirect(target if _own_page(target) else url_for("admin.home"))

    @bp.post("/logout")
    def logout():
        sign_out_everywhere(database)   # every session ends, cookies copied before included
        return redirect(url_for("admin.login"))

    @bp.get("/")
    @login_required
    def home():
        board = dashboard(settings, database, school_id(), datetime.now(settings.tz))
        return render_template("admin/home.html", board=board, plans=plans.list_plans(database, school_id()))

    @bp.post("/holidays/confirm")
    @login_required
    def confirm_holidays():
        year = whole_number(request.form.get("year"))
        if year is None or not 2000 <= year <= 2099:
            abort(400, description="年份不对，请返回重试。")
        holiday_years.confirm(database, school_id(), year)
        flash(f"已确认 {year} 年的假期已补充完整。")
        return redirect(url_for("admin.home"))

    @bp.get("/tasks")
    @login_required
    def tasks():
        rows = plans.list_tasks_marked(database, school_id())
        term = _term_on(school_terms(database, school_id()), today())
        chosen = TaskFilter.from_args(request.args)
        shown = sorted(matching(rows, chosen, term), key=lambda t: ((dated_range(t, term) or (date.max,))[0], t.number))
        return render_template("admin/tasks.html", tasks=shown, total=len(rows), term=term, chosen=chosen, kinds=KINDS,
                               owners=owners_of(rows), marks_of=marks_of)

    @bp.route("/tasks/new", methods=["GET", "POST"])
    @bp.route("/tasks/<id:task_id>", methods=["GET", "POST"])
    @login_required
    def task_form(task_id: int | None = None):
        task = plans.get_task(database, task_id) if task_id else None
        if task_id and task is None:
            abort(404)
        if request.method == "GET":
            return render_template("admin/task_form.html", task=task, values=_form_values(task))
        try:
            change = TaskChange(request.form.get("title", ""), school_date(request.form.get("start")), school_date(request.form.get("end")),
                                request.form.get("owner"), checked_recurrence(request.form.get("recurrence"), task and task.recurrence))
            if task is None:
                number = task_edits.add_task(database, school_id(), change)
                flash(f"已添加任务 #{number}。")
            else:
                task_edits.update_task(database, school_id(), task.id, change)
                flash(f"已保存 #{task.number}。")
        except (EditError, ValueError) as exc:   # what was typed stays on the form, to be corrected
            typed = {name: request.form.get(name, "") for name in ("title", "start", "end", "owner", "recurrence")}
            return render_template("admin/task_form.html", task=task, values=typed, error=str(exc)), 400
        return redirect(url_for("admin.tasks"))

    @bp.post("/tasks/<id:task_id>/delete")
    @login_required
    def delete(task_id: int):
        task = plans.get_task(database, task_id)
        try:
            task_edits.delete_task(database, school_id(), task_id)
            flash(f"已删除 #{task.number}“{task.title}”。" if task else "已删除。")
        except EditError as exc:
            flash(str(exc))
        return redirect(url_for("admin.tasks"))

    @bp.post("/tasks/merge")
    @login_required
    def merge():
        chosen = list(dict.fromkeys(i for i in map(row_id, request.form.getlist("task")) if i is not None))   # a task twice is one task
        if len(chosen) != 2:
            flash("合并时请勾选两项任务：保留编号较小的一项。")
            return redirect(url_for("admin.tasks"))
        found = sorted((t for t in (plans.get_task(database, i) for i in chosen) if t), key=lambda t: t.number)
        if len(found) != 2:
            flash("要合并的任务已不存在，请刷新后重试。")
            return redirect(url_for("admin.tasks"))
        try:
            task_edits.merge_tasks(database, school_id(), found[0].id, found[1].id)   # the smaller number is kept
            flash("已合并，上报记录归到保留的一项。")
        except EditError as exc:
            flash(str(exc))
        return redirect(url_for("admin.tasks"))

    @bp.get("/board")
    @login_required
    def board():
        term = _term_on(school_terms(database, school_id()), today())
        rows = [t for t in plans.list_tasks(database, school_id()) if dated_range(t, term)]
        progress = SchoolProgress(database, school_id(), today(), term, settings.tz).of(rows)
        entries = []
        for task in rows:
            first, last = dated_range(task, term)
            p = progress[task.id]
            overdue = last < today() and p.total > 0 and p.count("done") < p.total
            entries.append((not overdue, last, task, p, overdue))
        entries.sort(key=lambda e: (e[0], e[1]))
        groups = [(chat, set(chats.member_ids(database, chat.id))) for chat in chats.school_chats(database, school_id())]
        groups = [(chat, members) for chat, members in groups if members]   # webhook groups: nobody known to count
        cells = {(t.id, chat.id): _group_tally(p, members) for _, _, t, p, _ in entries for chat, members in groups}
        return render_template("admin/board.html", entries=[(t, p, o, dated_range(t, term)) for _, _, t, p, o in entries],
                               groups=[chat for chat, _ in groups], cells=cells)

    @bp.route("/feed", methods=["GET", "POST"])
    @login_required
    def feed():
        token = office.feed_token(database, school_id(), renew=request.method == "POST")
        return render_template("admin/feed.html", url=url_for("feeds.school_feed", token=token, _external=True),
                               groups=[(g.name, url_for("feeds.group_feed", token=token, group_id=g.id, _external=True))
                                       for g in chats.reminder_groups(database) if g.school_id in (None, school_id())], renewed=request.method == "POST")

    add_plan_views(bp, settings, database, school_id, today)
    add_settings_views(bp, database, school_id)
    add_calendar_views(bp, settings, database, school_id)
    add_setup_views(bp, settings, database, school_id, today)
    add_term_views(bp, settings, database, school_id)
    return bp


def _own_page(target: str) -> bool:
    """A ?next= worth following after sign-in: one of our pages, nothing a header cannot carry."""
    return target.startswith("/admin") and target.isprintable() and "\\" not in target


def local_time(stored: datetime, tz) -> datetime:
    """A time as stored (naive UTC) in the school's zone, for the pages."""
    return stored.replace(tzinfo=timezone.utc).astimezone(tz)


def _form_values(task) -> dict[str, str]:
    if task is None:
        return dict.fromkeys(("title", "start", "end", "owner", "recurrence"), "")
    return {"title": task.title, "start": task.start.isoformat() if task.start else "", "end": task.end.isoformat() if task.end else "",
            "owner": task.owner or "", "recurrence": task.recurrence or ""}


def _describe_when(start, end, recurrence, anchor, week) -> str:
    """The words for a task's time; a rhythm stored before it was checked ("monthly:by²") is shown as
    written rather than taking the whole task list down."""
    try:
        return texts.describe_when(start, end, recurrence, anchor, week)
    except ValueError:
        return " ".join(filter(None, (texts.describe_when(start, end, None, anchor, week), recurrence)))


def _group_tally(progress, members: set[int]) -> str:
    """The task's tally among the units with someone in this group."""
    here = [state for state in progress.states if members & set(state.unit.member_ids)]
    return f"{sum(1 for s in here if s.status == 'done')}/{len(here)}" if here else ""


def _term_on(terms, day: date):
    """The term a day is in, else the next one, else the last: where undated anchors are placed."""
    return term_now_or_next(terms, day) or max(terms, key=lambda t: t.start, default=None)
