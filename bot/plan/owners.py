"""Who a plan names as responsible: departments, roles, and subject or grade groups of a Chinese school.

A line may name several ("体育组、德育处组织…"): they are kept together, joined by "、", as a
负责部门 column writes them.
"""
from __future__ import annotations

import re

# Longest first, so 校长室 wins over 校长. Subject and grade groups are GROUP_PATTERN's.
OWNER_WORDS = sorted(
    """教务处 政教处 德育处 总务处 后勤处 保卫处 教科室 教研室 教导处 办公室 校长室 校办 党支部 党总支 工会 团委 团支部
    少先队 大队部 安全办 信息中心 心理中心 卫生室 校医室 财务室 图书室 家委会 家长委员会 年级主任
    班主任 科任教师 任课教师 全体教师 骨干教师 青年教师 中队辅导员 辅导员 校长 副校长 德育主任 教导主任 领读人""".split(),
    key=len,
    reverse=True,
)
OWNER_PATTERN = re.compile("|".join(map(re.escape, OWNER_WORDS)))

# "数学教研组", "初二年级组", "三年级语文备课组", "数学高三备课组", "理化生组", "英语学科组长": an optional
# grade and an optional subject, then the group. A bare 组 needs a grade or a subject: 小组, 分组, 评委组 name no one.
GRADE = r"(?:[一二三四五六七八九1-9]|[低中高])年级|[初高][一二三](?:年级)?"
SUBJECTS = sorted(
    """道德与法治 综合实践 信息技术 通用技术 心理健康 语文 数学 英语 外语 物理 化学 生物 政治 道法 思品 品德 历史 地理
    科学 体育 音乐 美术 信息 劳动 心理 书法 艺术 综合 文科 理科 技术""".split(),
    key=len,
    reverse=True,
)
SUBJECT = "|".join(SUBJECTS) + "|[语数英外理化生政史地音体美艺综]{2,4}"   # 音体美组, 政史地组, 艺体组, 理综组
GROUP_PATTERN = re.compile(
    rf"(?P<grade>{GRADE})?(?P<subject>{SUBJECT})?(?P<later>{GRADE})?(?P<kind>教研组|备课组|学科组|年级组|组)长?")
ANY_MENTION = re.compile(f"{GROUP_PATTERN.pattern}|{OWNER_PATTERN.pattern}")   # where to look closer
# "语文、数学、外语备课组", "高一、高二备课组", "一、二年级组": a list sharing one group word is one group each.
LISTED = {"subject": re.compile(SUBJECT), "grade": re.compile(rf"{GRADE}|(?<![周期第])[一二三四五六七八九]")}
LISTED_BEFORE = {kind: re.compile(rf"(?:(?:{words.pattern})[、和与及])+$") for kind, words in LISTED.items()}
NUMBERING = re.compile(r"\s*[一二三四五六七八九十]{1,3}[、．.]")   # "二、六年级组…" opens part 二, lists no grade
# 组 that begins a verb or noun: "科学组织", "教研组织形式", "数学组卷", "语文组词". "三年级组织…" is the
# grade's own doing, read as its 年级组.
WORD_AFTER_GROUP = "织建卷词稿"

# "德育处牵头", "由教科室负责": whoever stands right before the verb is the owner.
LEAD_VERB = re.compile(r"牵头|负责|组织|主办|承办")
# A named unit outside the lists ("住管处负责").
LEAD_UNIT = re.compile(r"由?([\u4e00-\u9fff]{2,6}?(?:处|室|中心|部|办|组))$")
STUDENT_GROUP = re.compile(r"(?:兴趣|学习|合作|互助)小组$|分组$")
# Between two owners of one list: "语文组、数学组", "美术组和音乐组", "教务处与各班主任".
JOINER = re.compile(r"[、/／和与及]各?")
COLUMN_SPLIT = re.compile(r"[、，,/／;；\s]+")

# A one-character bracket names a person ("（王）"); a numeral numbers a part ("开放日活动（二）").
PERSON_BRACKET = re.compile(r"[（(](?:责任人|负责人|负责老师|负责)\s*[:：]\s*([^）)]{1,12})[）)]|[（(]((?![一二三四五六七八九十上下])[\u4e00-\u9fff])[）)]\s*$")


def find_owner(text: str) -> str | None:
    if m := PERSON_BRACKET.search(text):
        return (m.group(1) or m.group(2)).strip()
    mentions = _mentions(text)
    for verb in LEAD_VERB.finditer(text):
        if owner := _list_ending_at(text, mentions, verb.start()) or _lead_unit(text[:verb.start()]):
            return owner
    return _list_from(text, mentions) if mentions else None


def owner_from_cell(text: str) -> str | None:
    """A 负责部门 column: keep what it says, normalised to one line."""
    parts = [p for p in COLUMN_SPLIT.split(text.strip()) if p]
    return "、".join(parts) if parts else None


def _mentions(text: str) -> list[tuple[int, int, str]]:
    """Every owner the text names, (start, end, name), leftmost and longest first."""
    found, i = [], 0
    while candidate := ANY_MENTION.search(text, i):
        i = candidate.start()
        group = GROUP_PATTERN.match(text, i)
        group = group if group and _is_group(text, group) else None
        word = OWNER_PATTERN.match(text, i)
        if group and (not word or group.end() >= word.end()):
            found.append(_with_listed(text, group, found[-1][1] if found else 0))
            i = group.end()
        elif word:
            found.append((i, word.end(), word.group()))
            i = word.end()
        else:
            i += 1
    return found


def _with_listed(text: str, group: re.Match, after: int) -> tuple[int, int, str]:
    """"语文、数学备课组" → (start of 语文, end, "语文备课组、数学备课组"); else the group as written."""
    kind = "subject" if group["subject"] and not group["grade"] else "grade" if group["grade"] else None
    numbered = NUMBERING.match(text)
    listed = kind and LISTED_BEFORE[kind].search(text, max(after, numbered.end() if numbered else 0), group.start())
    if not listed:
        return group.start(), group.end(), group.group()
    tail = group.group()[group.end(kind) - group.start():]
    heads = [_like(m.group(), group[kind]) for m in LISTED[kind].finditer(listed.group())]
    return listed.start(), group.end(), "、".join(dict.fromkeys([h + tail for h in heads] + [group.group()]))


def _like(listed: str, written: str) -> str:
    """A listed grade written as the group's is: "一" of "一、二年级组" is 一年级, "初一" of "初一、初二年级组" 初一年级."""
    return listed + "年级" if written.endswith("年级") and not listed.endswith("年级") else listed


def _is_group(text: str, m: re.Match) -> bool:
    if not (m["grade"] or m["subject"] or m["later"] or m["kind"] != "组"):
        return False
    after = text[m.end():m.end() + 1]
    return not (after and after in WORD_AFTER_GROUP and m.group().endswith("组") and not m.group().endswith("年级组"))


def _list_ending_at(text: str, mentions: list, end: int) -> str | None:
    """The owners listed right before a lead verb at `end`: "体育组、德育处组织" → 体育组、德育处."""
    names, at = [], end
    for start, stop, name in reversed(mentions):
        if stop == at if not names else JOINER.fullmatch(text[stop:at]):
            names.insert(0, name)
            at = start
        elif stop < at:
            break
    return "、".join(dict.fromkeys(names)) or None


def _list_from(text: str, mentions: list) -> str:
    """The first owner named, with those listed along with it: "语文组、数学组交流" → 语文组、数学组."""
    names, at = [], mentions[0][0]
    for begin, stop, name in mentions:
        if begin == at if not names else JOINER.fullmatch(text[at:begin]):
            names.append(name)
            at = stop
        elif begin > at:
            break
    return "、".join(dict.fromkeys(names))


def _lead_unit(before: str) -> str | None:
    if not (m := LEAD_UNIT.search(before)):
        return None
    unit = m.group(1).rpartition("由")[2]   # "周五由住管处" → 住管处
    return unit if len(unit) >= 3 and not STUDENT_GROUP.search(unit) else None
