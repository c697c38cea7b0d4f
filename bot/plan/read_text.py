"""Plain-text plans: detect the encoding (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK)."""
from __future__ import annotations

import codecs
import re

from bot import texts

from .document import PlanDocument, clean, document_from_rows
from .errors import PlanReadError

# GB18030 is a superset of GBK and GB2312, so one attempt covers all three.
FALLBACK_ENCODINGS = ("utf-8", "gb18030")
# Tables pasted out of web pages and Word keep their columns as tabs or as " | " between cells.
PIPE_CELLS = re.compile(r"\s*[|｜]\s*")
TAB = re.compile("\t")
SPACES = re.compile(r"[ \u3000]{2,}")
PIPE_ROW = re.compile(r"\s[|｜]\s|^\s*[|｜]\s")


def decode_plan_bytes(data: bytes, name: str) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode(data, encoding, name)
    if b"\x00" in data:
        raise PlanReadError(texts.BINARY_NOT_TEXT.format(name=name))
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanReadError(texts.ENCODING_UNKNOWN.format(name=name))


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise PlanReadError(texts.ENCODING_BROKEN.format(name=name, encoding=encoding)) from exc


def read_text_plan(data: bytes, name: str) -> PlanDocument:
    text = decode_plan_bytes(data, name).replace("\r\n", "\n").replace("\r", "\n")
    lines = [clean(raw) for raw in text.split("\n")]
    spaced = _space_aligned(lines)
    rows = []
    previous_was_row = False
    for number, line in enumerate(lines):
        piped = PIPE_ROW.search(line) is not None
        separator = PIPE_CELLS if piped else SPACES if number in spaced else TAB
        cells = tuple(p.strip() for p in separator.split(line.rstrip() if separator is SPACES else line))
        # Text copied out of a spreadsheet keeps its columns as tabs; a row whose merged cells
        # were left empty ("\t迎国庆黑板报评比\t") still has its separators.
        filled = sum(1 for c in cells if c)
        is_row = filled >= 2 or (filled == 1 and (piped or (previous_was_row and len(cells) >= 3)))
        rows.append((line, cells if is_row else (), None, None))
        previous_was_row = is_row or (previous_was_row and not line.strip())
    return document_from_rows(name, rows)


def _space_aligned(lines: list[str]) -> set[int]:
    """Lines of a table copied out of a PDF, its columns kept apart by runs of spaces: two or more such
    gaps on a line without tabs or pipes, and a neighbour line just like it."""
    looks = [("\t" not in line and not PIPE_ROW.search(line) and len(SPACES.findall(line.strip())) >= 2) for line in lines]
    return {i for i, ok in enumerate(looks) if ok and ((i > 0 and looks[i - 1]) or (i + 1 < len(looks) and looks[i + 1]))}
