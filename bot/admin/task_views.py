"""The office's task list with its filters, and the corrections made there: add, edit, delete, merge."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for

from bot import task_edit_rules, texts
from bot.task_dates import dated_range
from storage import plans
from storage.school_calendar import school_terms
from storage.task_edits import TaskChange

from .blueprint import admin
from .edges import checked_recurrence, row_id, school_date
from .extension import database, school_id, today
from .guard import login_required
from .refusals import refuse_by_flash, refuse_on_page
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
    refuse_on_page("admin/task_form.html", task=task, values={name: form.get(name, "") for name in FIELDS})   # typed stays, to be corrected
    change = TaskChange(form.get("title", ""), school_date(form.get("start")), school_date(form.get("end")),
                        form.get("owner"), checked_recurrence(form.get("recurrence"), task and task.recurrence))
    if task is None:
        number = task_edit_rules.add_task(database(), school_id(), change)
        flash(texts.TASK_ADDED.format(number=number))
    else:
        task_edit_rules.update_task(database(), school_id(), task.id, change)
        flash(texts.TASK_SAVED.format(number=task.number))
    return redirect(url_for("admin.tasks"))


@admin.post("/tasks/<id:task_id>/delete")
@login_required
def delete(task_id: int):
    task = plans.get_task(database(), task_id)
    refuse_by_flash("admin.tasks")
    task_edit_rules.delete_task(database(), school_id(), task_id)
    flash(texts.TASK_DELETED.format(number=task.number, title=task.title) if task else texts.TASK_DELETED_GONE)
    return redirect(url_for("admin.tasks"))


@admin.post("/tasks/merge")
@login_required
def merge():
    chosen = list(dict.fromkeys(i for i in map(row_id, request.form.getlist("task")) if i is not None))   # a task twice is one task
    if len(chosen) != 2:
        flash(texts.MERGE_PICK_TWO)
        return redirect(url_for("admin.tasks"))
    found = sorted((t for t in (plans.get_task(database(), i) for i in chosen) if t), key=lambda t: t.number)
    if len(found) != 2:
        flash(texts.MERGE_GONE)
        return redirect(url_for("admin.tasks"))
    refuse_by_flash("admin.tasks")
    task_edit_rules.merge_tasks(database(), school_id(), found[0].id, found[1].id)   # the smaller number is kept
    flash(texts.MERGED)
    return redirect(url_for("admin.tasks"))


def _form_values(task) -> dict[str, str]:
    if task is None:
        return dict.fromkeys(FIELDS, "")
    return {"title": task.title, "start": task.start.isoformat() if task.start else "", "end": task.end.isoformat() if task.end else "",
            "owner": task.owner or "", "recurrence": task.recurrence or ""}
