"""Questions about the plan: a time span, what is asked of it, and a topic.

The three are found separately, so a word we do not know spoils only itself:
"本周有什么要交的" is this week's deadlines, "现在是第几周" this week's number,
"期中考试啥时候考" the topic 期中考试 at any time. Whatever is left once the
span, the question words and the chatter are gone is the topic; the handler
keeps it only when it matches something in the school's plan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .spans import Span, find_span

QUESTION = re.compile(r"什么|哪些|啥|吗|么|\?|几|多少|多久|是否|有没有|谁|咋|没有?[啊呀呢嘛吧]*$|怎么|如何")
QUERY_HINT = re.compile(r"什么时候|啥时候|哪天|几号|何时|有什么|有哪些|有啥|任务|活动|安排|计划|日程|事情|干什么|做什么|要干|要做|"
                        r"schedule|agenda|plan|todo", re.IGNORECASE)


class Ask(StrEnum):
    """What a question asks of its span, besides what is on."""
    TERM_DATES = "term_dates"     # when the term starts and ends, the breaks, how many weeks
    WEEK_NUMBER = "week_number"   # which teaching week
    DEADLINE = "deadline"         # what is due
    ROUTINE = "routine"           # the routine duties
    NAME = "name"                 # a bare event name: when it is


# The words that ask each, tried in this order.
ASKS = [
    # When the term starts and ends, the breaks, how many weeks: "什么时候放寒假", "下学期几号开学", "这学期一共多少周".
    (Ask.TERM_DATES, re.compile(r"开学(?!典礼|第一课|仪式|初|前|后|工作)|放(?:寒|暑)?假|寒假|暑假|学期(?:结束|开始)|"
                                r"(?:一共|总共|共)(?:有)?(?:多少|几)(?:个)?周|多少个?周(?!了)|(?<!第)几个?周(?!了)|^(?:期中|期末)(?:是)?(?:哪几天|什么时候|哪天|几号)")),
    (Ask.WEEK_NUMBER, re.compile(r"第几(?:个)?(?:教学)?周|第几个?星期|几周了|多少周了?|教学周|周次")),
    (Ask.DEADLINE, re.compile(r"截止|截至|到期|(?:要|需要|得)(?:上?交|提交|报送|上报)|交(?:什么|啥)|deadline|ddl|due", re.IGNORECASE)),
    (Ask.ROUTINE, re.compile(r"例行|日常工作|常规工作|固定工作|每天都要|每周都要|周期性")),
]
TERM_WORDS = re.compile(r"下个?学期|上个?学期|本学期|这个?学期|学期|还有|从|开始|结束|放|是")
# From today on: "这个月接下来有什么", "这学期还有哪些大活动". For a week or a month 还有 may just
# mean "else" ("本月还有什么任务"), and listing its first days does no harm; for a term it means what is left.
FROM_TODAY = re.compile(r"还剩|剩下|接下来|之后|往后|以后")
STILL = re.compile(r"还有")
LONG_SPAN_DAYS = 31
# Words around a topic in a question, longest first so 什么时候 goes before 什么.
FILLERS = sorted(
    """怎么安排 如何安排 怎样安排 怎么样 定了没 定了吗 定没定 什么时候 什么时间 啥时候 啥时 哪一天 哪天 几号 几点 何时 每周几 周几 星期几 礼拜几 每月几号 几月份 几月 哪个月 哪周
    有什么 有哪些 有啥 都有 有没有 都 什么 哪些 啥 吗 呢 嘛 呀 啊 吧 要干什么 要做什么 干什么 做什么 要干 要做 需要
    任务 活动 安排 事情 事儿 事 工作 计划 日程 内容 请问 一下 查一下 查询 查看 看看 帮我 告诉我 我们 咱们 大家 学校
    最近 近期 方面 相关 关于 有关 现在 目前 当前 眼下 还有 还剩 剩下 接下来 之后 往后 以后 还 各位老师 老师们 老师好
    各位 您好 你好 的 了 有 要 是 在 举行 举办 进行 召开 那个 就是 想问下 想问问 想问一下 问一下 问下 问问 麻烦 请教 您知道
    你知道 知道 啥子 一些 有些 东西 布置了 布置 下发 发布 要完成 需要完成 得完成 上午 下午 晚上 中午 早上 一定 怎么 如何 怎样 多久一次 多久 一次 每周 每天 每月 期间""".split(),   # no 开: 公开课
    key=len, reverse=True,
)
# Left alone between the fillers these say nothing of a topic ("那个 嗯 后天有啥", "下周有啥事情没有啊老师").
STOP_TOKENS = set("嗯 哦 噢 哈 嘞 啦 呗 哇 嘿 诶 欸 呐 些 子 几 我 你 您 老师 想 问 看 查 下 就 都 还 也 再 又 请 schedule plan agenda todo".split())
FILLER = re.compile("|".join(map(re.escape, FILLERS)))
# "大活动", "重要的任务": the kind of thing asked for, not a topic.
QUALIFIER = re.compile(r"(?:大型?|重要的?|主要的?|重大|重点|别的|其他|其它|新的?|所有的?|全部的?)(?=活动|任务|安排|事|工作)")
CHATTER = re.compile(r"见|快乐|请假|请个假|好的|收到|谢谢|辛苦|晚安|早安|加油|祝|哈哈|[～~]$|"
                     r"记得|别忘|不要忘|注意|务必|准时|提醒大家|请大家|通知")   # a notice to the group is no question either
# The verb closing a when-question ("期中考试啥时候考", "运动会几号开", "班主任费什么时候算"), not its topic.
TRAILING_VERB = re.compile(r"(?<=..)(?:考|弄|忙|搞|干|不|算|开|办|交|做|放|发|上|定|没有?|进行|举行|举办|召开|开始|结束)+$|^(?:要?(?:弄|忙|搞)的?|不)+$")
# The verb opening one ("什么时候开家长会", "哪天放寒假"), unless it starts the noun (开学典礼, 考试, 放学).
LEADING_VERB = re.compile(r"^(?:开|放|考|搞|办|举行|举办|召开|进行|组织|参加)(?![学放题展幕试核评勤流接公课])(?=\S*(?:会|赛|假|课|式|礼|试|测|展|演|节|活动)$)")
# A bare name is a when-question when it names an event the way plans do: 期中质量检测, 秋季运动会.
EVENT_NAME = re.compile(r"^(?!.*[我你他她咱您在去])[\u4e00-\u9fa5A-Za-z0-9“”\"《》]{2,16}"
                        r"(?:会|赛|课|考试|检测|测试|测评|典礼|仪式|活动|评选|培训|演练|讲座|汇演|展示|研讨|教研|家访|军训|开学|放假|寒假|暑假|升旗|节|日)$")
ONE_CHAR_TOPICS = set("会课考赛假")   # "明天有会吗": one character that still names a kind of event
PUNCTUATION = re.compile(r"[\s,.!?;:、，。！？；：#~\-—()（）\"“”'‘’]+")
ASCII_GAP = re.compile(r"(?<=[A-Za-z])\s+(?=[A-Za-z])")   # "open class" keeps its space
# A statement naming a day is a question only if what is left could be a plan's topic ("下周三升旗"),
# not a notice or a promise ("明天记得带伞", "12 明天交", "明天我来代课", "今天天气不错啊").
NOT_A_TOPIC = re.compile(r"[我你他她咱您把给]|\d|不|没|很|真|太|交|带|来|去|记|别|请")
DEFAULT_SOON_DAYS = 7


@dataclass(frozen=True)
class Question:
    start: date | None
    end: date | None
    keyword: str | None
    ask: Ask | None        # None: what is on


def question_of(words: str, today: date, term: tuple[date, date] | None) -> Question | None:
    said = words
    ask, asked = _ask(words)
    if ask is Ask.TERM_DATES and _topic(TERM_WORDS.sub(" ", ASKS[0][1].sub(" ", asked))):
        ask, asked = None, words   # "寒假作业什么时候交": a task with 寒假 in its name
    words = asked
    span = find_span(words, today, term)
    rest = _without_spans(words[:span.at[0]] + " " + words[span.at[1]:], today, term) if span else words
    keyword = _topic(rest) if ask is not Ask.TERM_DATES else next((b for b in ("寒假", "暑假") if b in said), None)
    asking = QUESTION.search(words) or QUERY_HINT.search(words)
    if span and not asking and (CHATTER.search(words) or (keyword and NOT_A_TOPIC.search(keyword))):
        return None   # "明天见～", "我明天请个假", "12 明天交": a day named in passing, not a question
    if ask is Ask.DEADLINE and not span and keyword:
        ask = None    # "期末成绩录入是哪天截止的", "读书心得每周都要交吗": when that task is due
    if span and ask is Ask.WEEK_NUMBER:   # "今天第几周": the week of that day
        monday = span.start - timedelta(days=span.start.weekday())
        return Question(monday, monday + timedelta(days=6), keyword, ask)
    if span:
        from_today = FROM_TODAY.search(rest) or (STILL.search(rest) and (span.end - span.start).days > LONG_SPAN_DAYS)
        start = max(span.start, today) if from_today and span.start <= today <= span.end else span.start
        return Question(start, span.end, keyword, ask)
    if ask in (Ask.ROUTINE, Ask.TERM_DATES):
        return Question(None, None, keyword, ask)
    if ask in (Ask.WEEK_NUMBER, Ask.DEADLINE) or (not keyword and QUERY_HINT.search(words)):
        return _this_week(today, keyword, ask) if ask is not Ask.DEADLINE else _soon(today, keyword, ask)
    if keyword and (QUESTION.search(words) or QUERY_HINT.search(words)):
        return Question(None, None, keyword, None)   # 运动会什么时候: any time
    if keyword and EVENT_NAME.match(keyword) and not CHATTER.search(words):
        return Question(None, None, keyword, Ask.NAME)
    return None


def _without_spans(text: str, today: date, term) -> str:
    """The words once every other span said is gone too ("今天是本学期第几周": 本学期 is no topic)."""
    for _ in range(3):
        span = find_span(text, today, term)
        if span is None:
            break
        text = text[:span.at[0]] + " " + text[span.at[1]:]
    return text


def _ask(words: str) -> tuple[Ask | None, str]:
    """What is asked of the span, and the words without the phrase that said so."""
    for name, pattern in ASKS:
        if m := pattern.search(words):
            return name, words[:m.start()] + " " + words[m.end():]
    return None, words


def _topic(rest: str) -> str | None:
    words = FILLER.sub(" ", QUALIFIER.sub(" ", ASCII_GAP.sub("\x00", rest)))
    tokens = [t for t in PUNCTUATION.split(words) if t and t.lower() not in STOP_TOKENS]
    keyword = "".join(tokens).replace("\x00", " ")
    keyword = LEADING_VERB.sub("", TRAILING_VERB.sub("", keyword))
    if len(keyword) == 1 and keyword not in ONE_CHAR_TOPICS:
        return None
    return keyword or None


def _this_week(today: date, keyword: str | None, ask: Ask | None) -> Question:
    monday = today - timedelta(days=today.weekday())
    return Question(monday, monday + timedelta(days=6), keyword, ask)


def _soon(today: date, keyword: str | None, ask: Ask | None) -> Question:
    """"最近有什么要交的": the coming week, from today."""
    return Question(today, today + timedelta(days=DEFAULT_SOON_DAYS - 1), keyword, ask)


__all__ = ["QUESTION", "Ask", "Question", "Span", "question_of"]
