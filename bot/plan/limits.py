"""How big a plan may be, checked before anything is inflated or parsed.

A Word or Excel file is a zip: a small file can inflate to gigabytes (a decompression
bomb) or hold millions of empty paragraphs or one cell at XFD1048576. So the zip's
directory is checked first (sizes as stored, entry count, ratio), then the XML is
counted by streaming it (paragraphs, rows) before python-docx or openpyxl build a
model, and the text and the items read are capped. A real plan is far below every
limit: a year's plan is rarely 1 MB of text or more than a few hundred items.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from bot import texts

from .errors import PlanReadError

MAX_UNPACKED_BYTES = 80 * 1024 * 1024    # all members of the zip, inflated
MAX_MEMBER_BYTES = 40 * 1024 * 1024      # one member (document.xml, a sheet)
MAX_ENTRIES = 3000
MAX_RATIO = 200                          # inflated / stored, for a member over 1 MB inflated
MAX_PARAGRAPHS = 100_000                 # Word paragraphs and table rows
MAX_ROWS = 50_000                        # spreadsheet rows with content, all sheets
MAX_COLUMNS = 200                        # spreadsheet columns read per row
MAX_CHARACTERS = 3_000_000               # text of the whole plan
MAX_ITEMS = 5_000                        # tasks found in one plan
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes, name: str, not_this_kind: str) -> zipfile.ZipFile:
    """The opened zip, once its directory says it inflates to a sane size; not_this_kind: the error for a broken one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PlanReadError(not_this_kind) from exc
    if len(members) > MAX_ENTRIES:
        raise PlanReadError(texts.TOO_BIG.format(name=name, what=texts.TOO_MANY_PARTS.format(count=len(members))))
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_UNPACKED_BYTES:
            raise PlanReadError(texts.TOO_BIG.format(name=name, what=texts.UNPACKS_TOO_LARGE.format(mb=MAX_UNPACKED_BYTES // 1048576)))
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise PlanReadError(texts.TOO_BIG.format(name=name, what=texts.ODD_RATIO))
    return archive


def count_word_blocks(archive: zipfile.ZipFile, name: str) -> None:
    """Stream document.xml and refuse it past MAX_PARAGRAPHS paragraphs, before python-docx loads it."""
    _count(archive, "word/document.xml", (f"{W}p", f"{W}tr"), MAX_PARAGRAPHS, name, texts.TOO_MANY_PARAGRAPHS.format(count=MAX_PARAGRAPHS))


def count_sheet_rows(archive: zipfile.ZipFile, name: str) -> None:
    """Stream every sheet and refuse the workbook past MAX_ROWS stored rows in all."""
    rows = 0
    for member in archive.namelist():
        if member.startswith("xl/worksheets/") and member.endswith(".xml"):
            rows += _count(archive, member, ("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row",),
                           MAX_ROWS - rows, name, texts.TOO_MANY_ROWS.format(count=MAX_ROWS))


def check_text(characters: int, name: str) -> None:
    if characters > MAX_CHARACTERS:
        raise PlanReadError(texts.TOO_BIG.format(name=name, what=texts.TOO_MANY_CHARACTERS.format(count=MAX_CHARACTERS // 10000)))


def check_items(count: int, name: str) -> None:
    if count > MAX_ITEMS:
        raise PlanReadError(texts.TOO_MANY_ITEMS.format(name=name, count=count, limit=MAX_ITEMS))


def _count(archive: zipfile.ZipFile, member: str, tags: tuple[str, ...], limit: int, name: str, what: str) -> int:
    try:
        stream = archive.open(member)
    except KeyError:
        return 0
    seen = 0
    try:
        for _, element in etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False, no_network=True,
                                          huge_tree=False):
            seen += 1
            if seen > limit:
                raise PlanReadError(texts.TOO_BIG.format(name=name, what=what))
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PlanReadError(texts.PLAN_BROKEN.format(name=name)) from exc
    finally:
        stream.close()
    return seen
