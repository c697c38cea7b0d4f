"""Who a plan names as responsible: departments and roles of a Chinese school."""
from __future__ import annotations

import re

# Longest first, so 教研组长 wins over 教研组.
OWNER_WORDS = sorted(
    """教务处 政教处 德育处 总务处 后勤处 保卫处 教科室 教研室 教导处 办公室 校长室 校办 党支部 党总支 工会 团委 团支部
    少先队 大队部 安全办 信息中心 心理中心 卫生室 校医室 财务室 图书室 家委会 家长委员会 年级组长 年级组 年级主任
    教研组长 教研组 备课组长 备课组 学科组 班主任 科任教师 任课教师 全体教师 骨干教师 青年教师 中队辅导员 辅导员
    体育组 艺术组 音乐组 美术组 语文组 数学组 英语组 科学组 综合组 校长 副校长 德育主任 教导主任 领读人""".split(),
    key=len,
    reverse=True,
)
OWNER_PATTERN = re.compile("|".join(map(re.escape, OWNER_WORDS)))
# "由教科室负责", "德育处牵头": a named unit outside the list.
LEAD_PATTERN = re.compile(r"由?([\u4e00-\u9fff]{2,6}?(?:处|室|中心|部|办|组))(?:牵头|负责|组织|主办|承办)")
COLUMN_SPLIT = re.compile(r"[、，,/／;；\s]+")

# A one-character bracket names a person ("（王）"); a numeral numbers a part ("开放日活动（二）").
PERSON_BRACKET = re.compile(r"[（(](?:责任人|负责人|负责老师|负责)\s*[:：]\s*([^）)]{1,12})[）)]|[（(]((?![一二三四五六七八九十上下])[\u4e00-\u9fff])[）)]\s*$")


def find_owner(text: str) -> str | None:
    if m := PERSON_BRACKET.search(text):
        return (m.group(1) or m.group(2)).strip()
    if m := LEAD_PATTERN.search(text):
        return m.group(1)
    if m := OWNER_PATTERN.search(text):
        return m.group(0)
    return None


def owner_from_cell(text: str) -> str | None:
    """A 负责部门 column: keep what it says, normalised to one line."""
    parts = [p for p in COLUMN_SPLIT.split(text.strip()) if p]
    return "、".join(parts) if parts else None
