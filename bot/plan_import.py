"""The plan use-cases: read and extract a file with the school's settings, and store the result.

This is where the clock and the configuration meet the pure extractor: the
school year falls back to the one containing today, and the first day of term
comes from the configured terms when neither the command line nor the plan gives it.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path

from bot import schools, texts
from bot.config import Settings
from bot.plan.document import PlanDocument
from bot.plan.errors import PlanReadError
from bot.plan.extract import ExtractOptions, PlanExtraction, extract_plan
from bot.plan.items import PlanItem
from bot.plan.limits import check_items
from bot.plan.reading import read_plan_bytes, read_plan_file
from bot.plan.schoolyear import SchoolYear, parse_school_year_option
from bot.plan.unread import unread_times
from storage import plans as plan_store
from storage.db import Database


@dataclass(frozen=True)
class ExtractedFile:
    document: PlanDocument
    extraction: PlanExtraction


def extract_file(path: str | Path, settings: Settings, school_year: str | None = None,
                 term_start: str | None = None, today: date | None = None) -> ExtractedFile:
    today = today or datetime.now(settings.tz).date()
    options = ExtractOptions(
        school_year=_school_year_option(school_year),
        term_start=_date_option(term_start),
        fallback_school_year=school_year_of(today),
        known_term_starts=tuple(t.start for t in settings.school.terms),
    )
    document = read_plan_file(path, settings.plan.max_file_mb * 1024 * 1024)
    return _checked(ExtractedFile(document, extract_plan(document, options)))


def extract_upload(data: bytes, filename: str, settings: Settings, today: date | None = None, terms=None,
                   first_year: int | None = None) -> ExtractedFile:
    """The same as extract_file, for a file uploaded on the office's pages (terms: as the office keeps them).
    first_year: the office's correction of the school year (2025 for 2025-2026); the term or calendar
    year the plan names is kept, only moved to that year."""
    today = today or datetime.now(settings.tz).date()
    options = ExtractOptions(fallback_school_year=school_year_of(today),
                             known_term_starts=tuple(t.start for t in (settings.school.terms if terms is None else terms)))
    document = read_plan_bytes(data, filename, settings.plan.max_file_mb * 1024 * 1024)
    extraction = extract_plan(document, options)
    found = extraction.school_year
    if first_year is not None and (found is None or found.first != first_year):
        moved = replace(found, first=first_year) if found else SchoolYear(first=first_year)
        extraction = extract_plan(document, replace(options, school_year=moved))
    return _checked(ExtractedFile(document, extraction))


def _checked(extracted: ExtractedFile) -> ExtractedFile:
    check_items(len(extracted.extraction.items), extracted.document.source_name)
    return extracted


def import_file(path: str | Path, settings: Settings, database: Database, school_year: str | None = None,
                term_start: str | None = None, name: str | None = None, today: date | None = None,
                school: str | None = None) -> plan_store.ImportResult:
    """Extract first, then replace the stored plan in one transaction: a bad file changes nothing.

    The plan belongs to the configured school unless another school is named.
    """
    extracted = extract_file(path, settings, school_year, term_start, today)
    return store_extracted(extracted, name or Path(path).stem, Path(path).name, settings, database, school)


def store_extracted(extracted: ExtractedFile, name: str, filename: str, settings: Settings, database: Database,
                    school: str | None = None) -> plan_store.ImportResult:
    school_id = schools.home_school(database, settings.school)
    if school and school != plan_store.school_name(database, school_id):
        school_id = plan_store.ensure_school(database, school)
    year = extracted.extraction.school_year
    return plan_store.replace_plan(
        database,
        school_id,
        plan_store.PlanImport(
            name=name,
            source_filename=filename,
            checksum=extracted.document.checksum,
            school_year=year.label if year else None,
            title=extracted.extraction.title,
            items=tuple(_draft(item) for item in extracted.extraction.items),
            valid_from=year.period[0] if year else None,
            valid_to=year.period[1] if year else None,
            unread_dates=sum(len(spans) for spans in unread_times(extracted.document, extracted.extraction).values()),
        ),
    )


def _draft(item: PlanItem) -> plan_store.TaskDraft:
    # storage does not import the extractor's types; every TaskDraft field has a PlanItem twin
    return plan_store.TaskDraft(**{f.name: getattr(item, f.name) for f in fields(plan_store.TaskDraft)})


def school_year_of(day: date) -> SchoolYear:
    """The school year a day falls in: from August on, the one starting that year."""
    return SchoolYear(first=day.year if day.month >= 8 else day.year - 1)


def _school_year_option(value: str | None) -> SchoolYear | None:
    if value is None:
        return None
    try:
        return parse_school_year_option(value)
    except ValueError as exc:
        raise PlanReadError(texts.SCHOOL_YEAR_OPTION.format(value=value)) from exc


def _date_option(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise PlanReadError(texts.TERM_START_OPTION.format(value=value)) from exc
