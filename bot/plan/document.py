"""The format-neutral shape every reader produces: numbered lines of plain text.

A table row becomes one line whose cells are joined by tabs, so a quote taken
from any line is a substring of `PlanDocument.text`, whatever the source format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Word-to-text converters leave bookmark anchors behind ("[bookmark: OLE_LINK1]").
CONVERSION_DEBRIS = re.compile(r"\[bookmark:[^\]]*\]")


@dataclass(frozen=True)
class Line:
    number: int            # 1-based, in the rendered text
    text: str
    cells: tuple[str, ...] = ()   # non-empty for table rows
    table: int | None = None      # which table the row belongs to
    heading_level: int | None = None  # from a Word heading style, when known


@dataclass(frozen=True)
class PlanDocument:
    source_name: str
    lines: tuple[Line, ...] = field(default_factory=tuple)
    checksum: str = ""  # sha256 of the file's bytes

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def clean(text: str) -> str:
    return CONVERSION_DEBRIS.sub("", text).replace("\u3000", " ").replace("\xa0", " ")


def document_from_rows(source_name: str, rows: list[tuple[str, tuple[str, ...], int | None, int | None]]) -> PlanDocument:
    """rows: (text, cells, table, heading_level); numbers are assigned here."""
    lines = tuple(
        Line(number=i, text=text, cells=cells, table=table, heading_level=level)
        for i, (text, cells, table, level) in enumerate(rows, start=1)
    )
    return PlanDocument(source_name=source_name, lines=lines)
