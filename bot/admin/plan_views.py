"""The office's plans: upload, review (with the school year the office may correct), accept or
discard, and remove a plan with its tasks."""
from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for

from bot import texts
from bot.plan.unread import unread_times
from bot.plan_import import extract_upload, school_year_of, store_extracted
from storage import office, plans
from storage.school_calendar import school_terms

from .blueprint import admin
from .edges import whole_number
from .extension import database, school_id, settings, today
from .guard import login_required
from .pages import highlighted_lines
from .refusals import FormError, refuse_on_page

ALLOWED = (".docx", ".xlsx", ".txt")


@admin.route("/plans/upload", methods=["GET", "POST"])
@login_required
def upload():
    if request.method == "GET":
        return render_template("admin/upload.html")
    refuse_on_page("admin/upload.html")
    file = request.files.get("plan")
    if file is None or not file.filename:
        raise FormError(texts.CHOOSE_PLAN_FILE)
    name = Path(file.filename).name
    if Path(name).suffix.lower() not in ALLOWED:
        raise FormError(texts.PLAN_FILE_KINDS)
    data = file.read()
    extract_upload(data, name, settings(), today(), school_terms(database(), school_id()))   # PlanReadError before anything is kept
    draft_id = office.save_draft(database(), school_id(), name, data)
    return redirect(url_for("admin.draft", draft_id=draft_id))


def _reviewed(draft_id: int, first_year: int | None):
    """The uploaded file and what extraction finds in it, read the same way for review and import;
    first_year: the school year as the office corrected it (2025 for 2025-2026). A PlanReadError
    shows on the error page."""
    found = office.get_draft(database(), draft_id, school_id())
    if found is None:
        abort(404)
    return found, extract_upload(found.data, found.filename, settings(), today(), school_terms(database(), school_id()), first_year)


@admin.get("/plans/drafts/<id:draft_id>")
@login_required
def draft(draft_id: int):
    chosen = _chosen_year(request.args.get("year"))
    found, extracted = _reviewed(draft_id, chosen)
    items = extracted.extraction.items
    unread = unread_times(extracted.document, extracted.extraction)
    year = extracted.extraction.school_year
    current = school_year_of(today()).first
    years = sorted(set(range(current - 3, current + 3)) | ({year.first} if year else set()))
    return render_template("admin/draft.html", draft=found, items=items, year=year, chosen=chosen, years=years,
                           other_year=year is not None and not year.calendar and year.first != current,
                           lines=highlighted_lines(extracted.document, items, unread), plan_name=Path(found.filename).stem,
                           unread_count=sum(len(spans) for spans in unread.values()))


@admin.post("/plans/drafts/<id:draft_id>/accept")
@login_required
def accept(draft_id: int):
    found, extracted = _reviewed(draft_id, _chosen_year(request.form.get("year")))
    name = (request.form.get("name") or Path(found.filename).stem).strip()[:200]
    result = store_extracted(extracted, name, found.filename, settings(), database())
    office.drop_draft(database(), draft_id)
    flash(texts.PLAN_IMPORTED.format(name=result.name, added=result.added, kept=result.kept, withdrawn=result.withdrawn))
    return redirect(url_for("admin.tasks"))


@admin.post("/plans/drafts/<id:draft_id>/discard")
@login_required
def discard(draft_id: int):
    office.drop_draft(database(), draft_id)
    flash(texts.DRAFT_DISCARDED)
    return redirect(url_for("admin.home"))


@admin.post("/plans/<id:plan_id>/remove")
@login_required
def remove_plan(plan_id: int):
    name = plans.remove_plan(database(), school_id(), plan_id)
    flash(texts.PLAN_REMOVED.format(name=name) if name else texts.PLAN_GONE)
    return redirect(url_for("admin.home"))


def _chosen_year(value: str | None) -> int | None:
    """The school year's first calendar year from the review form ("2025"), if it is one we can mean."""
    year = whole_number(value)
    return year if year is not None and 2000 <= year <= 2098 else None
