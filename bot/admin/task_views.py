"""The office's task list with its filters, and the corrections made there: add, edit, delete, merge."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for

from bot import task_edit_rules
from bot.task_dates import dated_range
from bot.task_edit_rules import EditError
from storage import plans
from storage.school_calendar import school_terms
from storage.task_edits import TaskChange

from .blueprint import admin
from .edges import checked_recurrence, row_id, school_date
from .extension import database, school_id, today
from .guard import login_required
from .task_filters import KINDS, TaskFilter, marks_of, matching, owners_of, term_on

FIELDS = ("title", "start", "end", "owner", "recurrence")


@admin.get("/tasks")
@login_required
def tasks():
    rows = plans.list_tasks_marked(database(), school_id())
    term = term_on(school_terms(database(), school_id()), today())
    chosen = TaskFilter.from_args(request.args)
    shown = sorted(matching(rows, chosen, term), key=lambda t: ((dated_range(t, term) or (date.max,))[0], t.number))
    return render_template("admin/tasks.html", tasks=shown, total=len(rows), term=term, chosen=chosen, kinds=KINDS,
                           owners=owners_of(rows), marks_of=marks_of)


@admin.route("/tasks/new", methods=["GET", "POST"])
@admin.route("/tasks/<id:task_id>", methods=["GET", "POST"])
@login_required
def task_form(task_id: int | None = None):
    task = plans.get_task(database(), task_id) if task_id else None
    if task_id and task is None:
        abort(404)
    if request.method == "GET":
        return render_template("admin/task_form.html", task=task, values=_form_values(task))
    form = request.form
    try:
        change = TaskChange(form.get("title", ""), school_date(form.get("start")), school_date(form.get("end")),
                            form.get("owner"), checked_recurrence(form.get("recurrence"), task and task.recurrence))
        if task is None:
            number = task_edit_rules.add_task(database(), school_id(), change)
            flash(f"已添加任务 #{number}。")
        else:
            task_edit_rules.update_task(database(), school_id(), task.id, change)
            flash(f"已保存 #{task.number}。")
    except (EditError, ValueError) as exc:   # what was typed stays on the form, to be corrected
        typed = {name: form.get(name, "") for name in FIELDS}
        return render_template("admin/task_form.html", task=task, values=typed, error=str(exc)), 400
    return redirect(url_for("admin.tasks"))


@admin.post("/tasks/<id:task_id>/delete")
@login_required
def delete(task_id: int):
    task = plans.get_task(database(), task_id)
    try:
        task_edit_rules.delete_task(database(), school_id(), task_id)
        flash(f"已删除 #{task.number}“{task.title}”。" if task else "已删除。")
    except EditError as exc:
        flash(str(exc))
    return redirect(url_for("admin.tasks"))


@admin.post("/tasks/merge")
@login_required
def merge():
    chosen = list(dict.fromkeys(i for i in map(row_id, request.form.getlist("task")) if i is not None))   # a task twice is one task
    if len(chosen) != 2:
        flash("合并时请勾选两项任务：保留编号较小的一项。")
        return redirect(url_for("admin.tasks"))
    found = sorted((t for t in (plans.get_task(database(), i) for i in chosen) if t), key=lambda t: t.number)
    if len(found) != 2:
        flash("要合并的任务已不存在，请刷新后重试。")
        return redirect(url_for("admin.tasks"))
    try:
        task_edit_rules.merge_tasks(database(), school_id(), found[0].id, found[1].id)   # the smaller number is kept
        flash("已合并，上报记录归到保留的一项。")
    except EditError as exc:
        flash(str(exc))
    return redirect(url_for("admin.tasks"))


def _form_values(task) -> dict[str, str]:
    if task is None:
        return dict.fromkeys(FIELDS, "")
    return {"title": task.title, "start": task.start.isoformat() if task.start else "", "end": task.end.isoformat() if task.end else "",
            "owner": task.owner or "", "recurrence": task.recurrence or ""}
