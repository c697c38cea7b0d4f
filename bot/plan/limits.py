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
TOO_BIG = "{name} 内容过大（{what}），不像一份工作计划；请检查文件，或拆成几份再导入"


def check_zip(data: bytes, name: str, not_this_kind: str) -> zipfile.ZipFile:
    """The opened zip, once its directory says it inflates to a sane size; not_this_kind: the error for a broken one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PlanReadError(not_this_kind) from exc
    if len(members) > MAX_ENTRIES:
        raise PlanReadError(TOO_BIG.format(name=name, what=f"包含 {len(members)} 个部件"))
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_UNPACKED_BYTES:
            raise PlanReadError(TOO_BIG.format(name=name, what=f"解压后超过 {MAX_UNPACKED_BYTES // 1048576} MB"))
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise PlanReadError(TOO_BIG.format(name=name, what="压缩比异常"))
    return archive


def count_word_blocks(archive: zipfile.ZipFile, name: str) -> None:
    """Stream document.xml and refuse it past MAX_PARAGRAPHS paragraphs, before python-docx loads it."""
    _count(archive, "word/document.xml", (f"{W}p", f"{W}tr"), MAX_PARAGRAPHS, name, f"超过 {MAX_PARAGRAPHS} 段")


def count_sheet_rows(archive: zipfile.ZipFile, name: str) -> None:
    """Stream every sheet and refuse the workbook past MAX_ROWS stored rows in all."""
    rows = 0
    for member in archive.namelist():
        if member.startswith("xl/worksheets/") and member.endswith(".xml"):
            rows += _count(archive, member, ("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row",),
                           MAX_ROWS - rows, name, f"超过 {MAX_ROWS} 行")


def check_text(characters: int, name: str) -> None:
    if characters > MAX_CHARACTERS:
        raise PlanReadError(TOO_BIG.format(name=name, what=f"超过 {MAX_CHARACTERS // 10000} 万字"))


def check_items(count: int, name: str) -> None:
    if count > MAX_ITEMS:
        raise PlanReadError(f"{name} 找到 {count} 项任务，超过一份计划 {MAX_ITEMS} 项的上限；请检查文件，或拆成几份再导入")


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
                raise PlanReadError(TOO_BIG.format(name=name, what=what))
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PlanReadError(f"{name} 已损坏，无法读取") from exc
    finally:
        stream.close()
    return seen
