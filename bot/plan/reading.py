"""Open a plan file of any supported kind, refusing what is not a plan before parsing it."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from bot import texts

from .document import PlanDocument
from .errors import PlanReadError
from .limits import check_text
from .read_docx import read_docx_plan
from .read_text import read_text_plan
from .read_xlsx import read_xlsx_plan

READERS = {".txt": read_text_plan, ".text": read_text_plan, ".docx": read_docx_plan, ".xlsx": read_xlsx_plan}
ZIP_MAGIC = b"PK\x03\x04"


def read_plan_bytes(data: bytes, name: str, max_bytes: int) -> PlanDocument:
    suffix = Path(name).suffix.lower()
    if suffix not in READERS:
        hint = texts.SAVE_AS_DOCX if suffix == ".doc" else (texts.SAVE_AS_XLSX if suffix == ".xls" else "")
        raise PlanReadError(texts.UNSUPPORTED_KIND.format(suffix=suffix or texts.NO_SUFFIX, hint=hint))
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    if not data.strip():
        raise PlanReadError(texts.EMPTY_PLAN.format(name=name))
    if suffix in (".docx", ".xlsx") and not data.startswith(ZIP_MAGIC):
        kind = texts.WORD_DOCUMENT if suffix == ".docx" else texts.EXCEL_WORKBOOK
        raise PlanReadError(texts.CONTENT_NOT_SUFFIX.format(name=name, kind=kind, suffix=suffix))
    document = READERS[suffix](data, name)
    check_text(sum(len(line.text) for line in document.lines), name)
    if not any(line.text.strip() for line in document.lines):
        raise PlanReadError(texts.NO_TEXT.format(name=name))
    return replace(document, checksum=hashlib.sha256(data).hexdigest())


def read_plan_file(path: str | Path, max_bytes: int) -> PlanDocument:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:  # refuse before reading a huge file into memory
            raise _too_large(path.name, size, max_bytes)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise PlanReadError(texts.PLAN_NOT_FOUND.format(path=path)) from exc
    except IsADirectoryError as exc:
        raise PlanReadError(texts.PLAN_IS_FOLDER.format(path=path)) from exc
    except PermissionError as exc:
        raise PlanReadError(texts.PLAN_NOT_PERMITTED.format(path=path)) from exc
    return read_plan_bytes(data, path.name, max_bytes)


def _too_large(name: str, size: int, max_bytes: int) -> PlanReadError:
    return PlanReadError(texts.PLAN_TOO_LARGE.format(name=name, mb=size / 1048576, limit=max_bytes / 1048576))
