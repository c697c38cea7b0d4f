"""Heading numbering in Chinese plans (一、 （一） 1. （1） ①) and the section path it builds."""
from __future__ import annotations

import re
from dataclasses import dataclass

CN = "一二三四五六七八九十"
# Ordered outermost first; the index is the nesting level.
MARKERS = [
    re.compile(rf"^第[{CN}]+(?:部分|章|节)\s*"),
    re.compile(rf"^[{CN}]+\s*[、.．]\s*"),
    re.compile(rf"^[（(]\s*[{CN}]+\s*[）)]\s*[、.．]?\s*"),
    re.compile(r"^\d{1,2}\s*(?:[、]|[.．](?!\d))\s*"),
    re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*"),
    re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*"),
]
MAX_HEADING_CHARS = 30
# "(一)强基固本,忠诚教育筑基石 学校将……": a heading with its body run on after a space.
RUN_ON_BODY = re.compile(rf"^(\S{{2,{MAX_HEADING_CHARS}}})\s+(\S.{{20,}})$")


# An unnumbered title line such as "XX学校年度大事安排" or "第一学期行事历" heads what follows.
TITLE_LINE = re.compile(
    r"^(?:[^。，,；;：:]{2,30}(?:安排|计划|行事历|日程|一览表?|安排表|日程表|月历|校历|工作要点|通知)\s*\d{0,2}|关于[^。；;]{2,40}的通知)$")


@dataclass(frozen=True)
class NumberedLine:
    level: int
    marker: str
    heading: str | None   # the heading text, when the line is (or starts with) a heading
    body: str             # text after the marker (or after the run-on heading)


def numbering_level(text: str) -> tuple[int, str] | None:
    for level, pattern in enumerate(MARKERS):
        if m := pattern.match(text):
            return level, m.group(0)
    return None


def split_numbered(text: str, style_level: int | None = None) -> NumberedLine | None:
    stripped = text.strip()
    found = numbering_level(stripped)
    if found is None:
        if style_level is not None and stripped:
            return NumberedLine(style_level, "", stripped, "")
        return None
    level, marker = found
    rest = stripped[len(marker):]
    if len(rest) <= MAX_HEADING_CHARS and "。" not in rest.rstrip("。"):
        return NumberedLine(level, marker, rest.rstrip("。：: "), "")
    if m := RUN_ON_BODY.match(rest):
        return NumberedLine(level, marker, m.group(1), m.group(2))
    first_sentence, stop, after = rest.partition("。")
    if stop and len(first_sentence) <= MAX_HEADING_CHARS:
        return NumberedLine(level, marker, first_sentence, after)  # "1.坚持做好安全工作。树立……"
    return NumberedLine(level, marker, None, rest)


class SectionPath:
    """Tracks the headings above the current line."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, title))

    @property
    def current(self) -> str:
        return " > ".join(title for _, title in self._stack)

    @property
    def titles(self) -> list[str]:
        return [title for _, title in self._stack]
