"""Whether a task is about the topic a teacher typed, forgivingly.

Teachers name things their own way: "期中质量检测" for a plan's "期中考试和基础知识的
检测考试", "考期中" for "期中考试", "班主任费" for "计算教师的班主任费". So a topic
matches by its characters, in order, rather than as one exact substring: the
score is the share of the topic's characters found in order in the task's words,
and a task must also share two characters side by side with it, so that scattered
single characters never make a match. Words that schools use for the same kind of
event (检测/测试/考试, 比赛/大赛) count as the same.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .normalize import TRADITIONAL_TO_SIMPLIFIED

CLOSE = 0.75      # a match good enough to filter a span's answer by
LOOSE = 0.5       # good enough to offer as "the nearest" when nothing is close
ANY_ORDER = 0.9   # what a character found out of order is worth
NOT_WORDS = re.compile(r"[\s\W_]+")
# One spelling per kind of event; each word on a line is read as the line's first.
SAME_KIND = [
    "考试 检测 测试 测评 考查 质检",
    "比赛 大赛 竞赛 评比",
    "会议 例会",
    "典礼 仪式",
    "家访 访问",
    "汇演 演出 展演",
    "讲座 报告会",
]
_CANONICAL = {word: line.split()[0] for line in SAME_KIND for word in line.split()[1:]}
_SAME_KIND = re.compile("|".join(sorted(_CANONICAL, key=len, reverse=True)))


@lru_cache(maxsize=16384)   # a plan's titles and quotes are folded once, not on every question
def folded(text: str) -> str:
    """简体, half-width, no spaces or punctuation, one spelling per kind of event."""
    text = TRADITIONAL_TO_SIMPLIFIED.convert(unicodedata.normalize("NFKC", text or "")).lower()
    return _SAME_KIND.sub(lambda m: _CANONICAL[m.group(0)], NOT_WORDS.sub("", text))


def topic_score(topic: str, fields: Iterable[str | None]) -> float:
    """1.0 when the topic is written in one of the fields; else the share of its characters found in order."""
    wanted = folded(topic)
    if not wanted:
        return 0.0
    best = 0.0
    for field in fields:
        if field:
            best = max(best, _score(wanted, folded(field)))
            if best == 1.0:
                break
    return best


@lru_cache(maxsize=8192)
def _score(wanted: str, text: str) -> float:
    if wanted in text:
        return 1.0
    if len(wanted) < 2 or not _shares_a_pair(wanted, text):
        return 0.0
    present = sum(1 for ch in wanted if ch in text)
    if present * 2 < len(wanted):
        return 0.0   # cheap test first: most tasks share almost nothing with the topic
    # Characters in another order ("考期中" for 期中考试) count for a little less than in order; and
    # half the score is pairs side by side, so the character that tells 期中考试 from 期末考试 matters.
    characters = max(_common_in_order(wanted, text), present * ANY_ORDER) / len(wanted)
    pairs = sum(1 for i in range(len(wanted) - 1) if wanted[i:i + 2] in text) / (len(wanted) - 1)
    return (characters + pairs) / 2


def _shares_a_pair(wanted: str, text: str) -> bool:
    return any(wanted[i:i + 2] in text for i in range(len(wanted) - 1))


def _common_in_order(a: str, b: str) -> int:
    """Length of the longest common subsequence, one row at a time."""
    previous = [0] * (len(b) + 1)
    for ch in a:
        row = [0]
        for j, other in enumerate(b):
            row.append(previous[j] + 1 if ch == other else max(previous[j + 1], row[j]))
        previous = row
    return previous[-1]
