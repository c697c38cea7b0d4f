"""Scheduled items in running text.

A sentence (up to 。；！？) is cut into clauses at commas and colons outside
quotes and brackets. Within a clause, each time expression governs the words
around it; where Chinese plans list several duties in one clause
("周二、周四进行粉笔字展示活动、周五提交简笔画一张") a new expression after 、
starts a new item. A clause that is only a time ("开学初，…") lends its time to
the next clause; a clause that is only a frequency ("…，每学年至少两次") takes
its activity from the clause before; and a term-wide duty distributes over the
counted activities that follow it ("本学期开展一轮…，一次…").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .items import PlanItem
from .owners import find_owner
from .schoolyear import SchoolYear
from .timewords import ANCHOR, DATE, RECUR, WEEK, Scope, TimeMatch, find_times
from .titles import NUMBERING, clean_title, is_cut_off, with_topic

SENTENCE_END = set("。！？!?；;")
CLAUSE_END = set("，,：:")
OPENERS, CLOSERS = set("“《（(「【‘"), set("”》）)」】’")
QUOTE_LIMIT = 60

# Words that say nothing about *what* is done: a clause of only these and a time is time-only.
EMPTY_WORDS = re.compile(
    r"上午|下午|中午|晚上|早上|傍晚|晚自习|\d{1,2}\s*[:：∶]\s*\d{2}|至少|不少于|最少|每次|[一二两三四五六七八九十\d]+\s*(?:次|回|轮|遍)|进行|开展|举行|组织|坚持|继续|做到|保障|确保|"
    r"保证|要求|要|将|并|于|在|的|了|都|和|及|与|期间|之前|以前|前|后|时|内|份|[、（）()\s“”]"
)
# A line opened by its day: "18日（三），…", "3月4日（一）上午，…". Its sentences all happen that day.
LEAD_GAP = re.compile(
    r"^\s*(?:之?前)?\s*(?:上午|下午|中午|晚上|早上|全天|晚自习)?\s*(?:[（(]?\d{1,2}\s*[:：∶]\s*\d{2}(?:\s*[-—–~～]+\s*\d{1,2}\s*[:：∶]\s*\d{2})?[)）]?)?\s*[，,：:\s]")
CONTINUES_DAY = re.compile(r"^\s*(?:上午|下午|中午|晚上|早上|傍晚|当天|当日|此前|之后|随后)[，,：:\s]")
INLINE_MARKER = re.compile(r"(?<=[。；;，,:：\s])\s*(?=\d{1,2}\s*[)）]|[①-⑳]|[（(]\d{1,2}[)）])")
CONNECTOR_ONLY = re.compile(r"^[\s、，,和及与或]*$")
PLANNING_VERB = re.compile(r"(?:制定|自定|确定|商定|拟定|编制|编排|安排好?)$")
PROHIBITION = re.compile(r"不得|严禁|禁止|不准|不允许|杜绝|不超过|限报")
# "根据…要求", "现将…安排如下": a notice's preamble, when it names no day.
PREAMBLE = re.compile(r"^\s*(?:根据|按照|依据|为了|为进一步|现将|特制定|特作如下)")
# "如遇雨天，户外活动顺延至下周": what happens if, not what is planned.
CONDITION = re.compile(r"^\s*(?:如遇|如有|若遇|若有|遇到|如需|若需|如因|以上安排|确保|力争|争取)")   # and goals
SAME_TIME = re.compile(r"^\s*(?:同时|并同时|届时)(?:举行|开展|进行|召开|启动|组织)")
QUANTITY = re.compile(r"[一二两三四五六七八九十\d]+\s*(?:次|轮|篇|节|份|项|场|期|本|张|个)")
# Nouns that make "本学期" a duty rather than a scene-setter.
EVENT_NOUN = re.compile(
    r"活动|比赛|大赛|竞赛|评选|评比|培训|会议|例会|大会|交流会|讲座|考试|测试|检测|检查|抽查|评估|论文|公开课|研究课|示范课|"
    r"研讨|观摩|展示|演练|报告|仪式|典礼|调查|案例|叙事|注册|轮训|督导|验收|汇报"
)
# A dated clause in prose is a task unless it states a fact ("截至2023年12月，学校共有…")
# or is a web page's byline ("发布时间: 2024-05-02").
FACT_WORDS = re.compile(
    r"截至|截止|以来|至今|共有|已有|累计|成立于|始建于|荣获|被评为|获评|曾经|回顾|发布时间|发布日期|更新时间|来源[:：]|浏览|"
    r"本(?:表|计划|方案|安排|制度|办法|细则|通知)自?"
)


BASIS = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:根据|按照|结合|依据|针对)[^，,。；;]*$")
REFERENCE = re.compile(r"^[^（(]*(?:以|按)[^（(，,]{0,16}为准")
BRACKETED = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True)
class ProseContext:
    scope: Scope
    line: int
    section: str
    owner: str | None = None
    default: TimeMatch | None = None   # a printed week that dates an entry naming no time of its own
    lead: TimeMatch | None = None      # the day an earlier line opened, for a line such as "下午，…"

    @property
    def school_year(self) -> SchoolYear | None:
        return self.scope.school_year


@dataclass
class _Segment:
    start: int
    end: int
    matches: list[TimeMatch]


def prose_items(text: str, ctx: ProseContext) -> list[PlanItem]:
    times = find_times(text, ctx.school_year, scope=ctx.scope)
    lead = line_lead(text, times) or (ctx.lead if CONTINUES_DAY.match(NUMBERING.sub("", text)) else None)
    if lead is not None or ctx.default is not None:
        times = [t for t in times if t.kind != ANCHOR]   # a dated line's (or week's) 期末 or 寒假 is a word, not its time
    if not times and lead is None and ctx.default is None:
        return []
    items: list[PlanItem] = []
    for index, clauses in enumerate(split_sentences(text)):
        opening = NUMBERING.sub("", text[clauses[0][0]:clauses[0][1]])
        if CONDITION.match(opening) or (PREAMBLE.match(opening) and not any(
                (t.kind == DATE or (t.kind == RECUR and not t.weak)) and clauses[0][0] <= t.start < clauses[-1][1]
                for t in times)):
            continue   # a preamble whose only times are term words ("根据…期末…要求") is no task
        found = _sentence_items(text, clauses, times, ctx)
        undated = not any(clauses[0][0] <= t.start < clauses[-1][1] for t in times)
        if not found and undated and lead is not None:
            found = _undated(text, clauses, lead, ctx)
        elif not found and undated and index == 0 and ctx.default is not None and not _is_label(text):
            found = _undated(text, clauses[:2] if BASIS.match(NUMBERING.sub("", text[clauses[0][0]:clauses[0][1]])) else clauses[:1],
                             ctx.default, ctx)   # the entry's activity, in the printed week
        items.extend(found)
    return items


def inline_entries(text: str) -> list[str]:
    """"后勤保育:1)…。2)…:①…;②…": the numbered parts of one entry, each an entry of its own."""
    cuts = [0] + [m.start() for m in INLINE_MARKER.finditer(text)] + [len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if text[a:b].strip(" 。；;，,:：")]


def line_lead(text: str, times: list[TimeMatch]) -> TimeMatch | None:
    """The day a line opens with, when a comma or a time of day follows it."""
    if not times or times[0].kind != DATE or not times[0].day_level:
        return None
    opening = NUMBERING.sub("", text[:times[0].start]).strip()
    if opening or not LEAD_GAP.match(text[times[0].end:]):
        return None
    return times[0]


def _is_label(text: str) -> bool:
    """"发展中心:", "工作要求": a heading over entries, not an entry."""
    stripped = text.strip()
    return stripped.endswith((":", "：")) or (len(stripped) <= 8 and not re.search(r"[，,。；;]", stripped)
                                             and re.search(r"(?:要求|安排|计划|重点|目标|内容|说明|备注|记载|工作|提示|须知)$", stripped) is not None)


def _undated(text: str, clauses, when: TimeMatch, ctx: ProseContext) -> list[PlanItem]:
    start, end = clauses[0][0], clauses[-1][1]
    body = text[start:end]
    if PROHIBITION.search(body) or not _has_content(body):
        return []
    title = with_topic(clean_title(_activity_words(text, clauses)), ctx.section)
    if len(title) < 2 or is_cut_off(title):
        return []
    return [_item(when, title, _quote(text, start, end, None), body, ctx)]


def _activity_words(text: str, clauses) -> str:
    """The entry's words from its first clause that is not its basis ("各班结合节日特点，组织学生开展…")."""
    for a, b in clauses:
        if not BASIS.match(NUMBERING.sub("", text[a:b])):
            return text[a:clauses[-1][1]]
    return text[clauses[0][0]:clauses[-1][1]]


def split_sentences(text: str) -> list[list[tuple[int, int]]]:
    """Sentences as lists of clause spans; commas inside quotes or brackets do not cut."""
    sentences, clauses, depth, start = [], [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif ch in SENTENCE_END:
            clauses.append((start, i))
            sentences.append(clauses)
            clauses, start, depth = [], i + 1, 0
        elif ch in CLAUSE_END and depth == 0 and not _clock(text, i):
            clauses.append((start, i))
            start = i + 1
    clauses.append((start, len(text)))
    sentences.append(clauses)
    return [[c for c in s if text[c[0]:c[1]].strip()] for s in sentences if any(text[a:b].strip() for a, b in s)]


def _clock(text: str, i: int) -> bool:
    """"下午2:30": a colon between digits is a time of day, not a clause break."""
    return 0 < i < len(text) - 1 and text[i] in ":：" and text[i - 1].isdigit() and text[i + 1].isdigit()


def _sentence_items(text: str, clauses, times: list[TimeMatch], ctx: ProseContext) -> list[PlanItem]:
    items: list[PlanItem] = []
    pending: _Segment | None = None   # a time-only clause waiting for its activity
    chain: PlanItem | None = None     # a term-wide duty that counted activities inherit
    previous: tuple[int, int] | None = None
    for c_start, c_end in clauses:
        matches = _governing(text, [t for t in times if c_start <= t.start and t.end <= c_end])
        if pending is not None and any(m.kind == DATE for m in pending.matches) and all(m.kind == ANCHOR for m in matches):
            matches = []   # "1月15日（一），高二期末考试": the date says when, 期末 what
        if not matches:
            if pending is not None:
                emitted = _emit(text, _Segment(pending.start, c_end, pending.matches), ctx)
                items += emitted
                chain, pending = (emitted[-1] if emitted else None), None
            elif chain is not None and QUANTITY.search(text[c_start:c_end]) and _has_content(text[c_start:c_end]):
                items.append(_inherit(text, chain, c_start, c_end, ctx))   # "本学期开展一轮…，一次…"
            elif items and items[-1].start is not None and SAME_TIME.match(text[c_start:c_end]):
                items.append(_inherit(text, items[-1], c_start, c_end, ctx))   # "…，同时举行…": the day before
            else:
                chain = None
            previous = (c_start, c_end)
            continue
        pending, chain = None, None
        for segment in _segments(text, c_start, c_end, matches):
            if _has_content(_without_times(text, segment)):
                emitted = _emit(text, segment, ctx)
                items += emitted
                chain = emitted[-1] if emitted else None
            elif previous is not None and segment.start == c_start:
                if not (items and items[-1].start is not None and all(m.kind == RECUR for m in segment.matches)):
                    # "…，每学年至少两次" names the activity before it; after a dated one ("8月26日—31日军训，
                    # 每天上午7:30—11:30") it only says the hours
                    items += _emit(text, segment, ctx, title_span=previous, quote_from=previous[0])
            else:
                pending = segment
        previous = (c_start, c_end)
    return items


def _governing(text: str, matches: list[TimeMatch]) -> list[TimeMatch]:
    """Drop expressions that modify a noun rather than schedule the clause."""
    kept: list[TimeMatch] = []
    dated = any(m.kind == DATE for m in matches)
    for m in matches:
        if m.kind == ANCHOR and dated:
            continue  # a date beats a term word
        if _inside_book_title(text, m.start):
            continue
        if m.kind == RECUR and PLANNING_VERB.search(text[max(0, m.start - 3):m.start]):
            continue  # "自定每周教研主题": the plan is made once, the topic is weekly
        if m.kind == RECUR and any(k.kind == ANCHOR for k in kept):
            continue  # "开学初…每周…": the anchor says when
        kept.append(m)
    return kept


def _inside_book_title(text: str, pos: int) -> bool:
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


def _segments(text: str, c_start: int, c_end: int, matches: list[TimeMatch]) -> list[_Segment]:
    segments = [_Segment(c_start, c_end, [matches[0]])]
    for m in matches[1:]:
        current = segments[-1]
        gap = text[current.matches[-1].end:m.start]
        if CONNECTOR_ONLY.match(gap):
            if m.kind == current.matches[-1].kind and m.kind in (ANCHOR, DATE, WEEK) and m.day_level == current.matches[-1].day_level:
                current.matches.append(m)   # "期中与期末综合评价": two items, one quote; "4/12 四月份生日会": one
            continue
        if gap.rstrip().endswith(("、", "和", "及", "并")) and _has_content(gap):
            current.end = m.start
            segments.append(_Segment(m.start, c_end, [m]))
    return segments


def _without_times(text: str, segment: _Segment) -> str:
    out, pos = [], segment.start
    for m in segment.matches:
        out.append(text[pos:m.start])
        pos = m.end
    out.append(text[pos:segment.end])
    return "".join(out)


def _has_content(words: str) -> bool:
    return len(re.findall(r"[\u4e00-\u9fff]", EMPTY_WORDS.sub("", words))) >= 2


def _emit(text, segment: _Segment, ctx: ProseContext, title_span=None, quote_from=None) -> list[PlanItem]:
    body = text[segment.start:segment.end]
    if PROHIBITION.search(body):
        return []
    quote = _quote(text, quote_from if quote_from is not None else segment.start, segment.end, segment.matches[0])
    items = []
    for m in segment.matches:
        if m.weak and not EVENT_NOUN.search(body):
            continue
        if m.kind == DATE and FACT_WORDS.search(BRACKETED.sub("", body)):
            continue   # a fact, not a task; a remark in brackets ("（以通知为准）") does not make it one
        if REFERENCE.search(body):
            continue   # "以学校每周工作安排为准": where to look, not what to do
        title = _title(text[title_span[0]:title_span[1]] if title_span else _title_words(text, segment, m), ctx.section)
        if len(title) >= 2 and not is_cut_off(title):
            items.append(_item(m, title, quote, body, ctx))
    return items


def _title_words(text: str, segment: _Segment, own: TimeMatch) -> str:
    """The segment without its frequencies and leading dates; of twins ("期中与期末…") only this one's word stays."""
    first, last = segment.matches[0], segment.matches[-1]
    twins = len(segment.matches) > 1
    leads = bool(NUMBERING.sub("", text[segment.start:first.start]).strip())
    if own.kind == ANCHOR and (twins or leads):
        keep = text[own.start:own.end]
        return text[segment.start:first.start] + keep + text[last.end:segment.end] if twins else text[segment.start:segment.end]
    return _without_times(text, segment)


def _inherit(text: str, chain: PlanItem, c_start: int, c_end: int, ctx: ProseContext) -> PlanItem:
    body = text[c_start:c_end]
    return PlanItem(
        title=_title(body), quote=_quote(text, c_start, c_end, None), line=ctx.line, section=ctx.section,
        start=chain.start, end=chain.end, recurrence=chain.recurrence, term_anchor=chain.term_anchor,
        owner=find_owner(body) or chain.owner,
    )


def _item(m: TimeMatch, title: str, quote: str, body: str, ctx: ProseContext) -> PlanItem:
    return PlanItem(
        title=title, quote=quote, line=ctx.line, section=ctx.section,
        start=m.first, end=m.last, recurrence=m.recurrence,
        term_anchor=m.anchor if m.first is None else None,
        week=m.week, week_last=m.week_last,
        owner=find_owner(body) or ctx.owner,
    )


def _quote(text: str, start: int, end: int, anchor: TimeMatch | None) -> str:
    while start < end and text[start] in " \t、，,：:":
        start += 1
    if end - start > QUOTE_LIMIT and anchor is not None:
        start = max(start, min(anchor.start - 20, end - QUOTE_LIMIT))
    return text[start:min(end, start + QUOTE_LIMIT)].strip()


def _title(words: str, section: str = "") -> str:
    return with_topic(clean_title(words), section)
