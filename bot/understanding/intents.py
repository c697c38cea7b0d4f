"""What a teacher's message asks for: help, a progress check, a status report, a query, or nothing we know.

Order matters: help and progress are recognised by their own words; a status
report is a task plus a status word and no question; anything that names a time,
a topic with a question, or asks about tasks is a query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .normalize import normalize
from .spans import find_span

LINK = re.compile(r"^(?:绑定|关联|设置)(?:学校|本群学校|到)?\s*[:：]?\s*(?P<school>\S.{0,40})$")
SETTINGS = re.compile(r"^(?:提醒设置|设置提醒|提醒配置|本群提醒)\s*[:：]?\s*(?P<args>.*)$")
SWITCH = re.compile(r"^(?:(?P<on>开启|打开|启用|开通)|(?P<off>关闭|停用|关掉))(?:本群|群)?(?:的)?(?:提醒|推送)\s*(?P<args>.*)$")
HELP = re.compile(r"帮助|怎么用|怎么使用|如何使用|使用说明|使用方法|你(?:能|会|可以)(?:做|干)(?:些)?(?:什么|啥)|能干(?:嘛|啥|什么)|"
                  r"(?:有|都有)(?:什么|啥|哪些)功能|功能列表|(?:咋|怎么)操作|^help$|^菜单$|^指令$|^\?+$", re.IGNORECASE)
TASK_REF = r"#?(?P<task>\d{1,5})(?:\s*号任务|\s*号)?"
PROGRESS = [
    re.compile(rf"^{TASK_REF}\s*(?:的)?\s*(?:进度|进展|完成情况|情况统计|(?:还有)?谁(?:还)?没(?:有)?(?:完成|交|报|做|反馈)|谁完成了|谁做了)"),
    re.compile(rf"^(?:谁(?:还)?没(?:有)?(?:完成|交|报|做|反馈)了?|谁完成了|查看?|看看?|进度|统计)\s*{TASK_REF}"),
    re.compile(r"^(?P<task>[^\s\d#].{0,20}?)\s*的?\s*(?:进度|完成情况)$"),
]
STATUS_WORDS = [  # undo first: 取消完成 must not read as 完成
    ("todo", r"取消完成|撤销完成|撤销|撤回|取消|未完成|改为未完成|重置"),
    ("blocked", r"遇到困难|有困难|遇到问题|有问题|无法完成|完成不了|受阻|卡住了?|困难"),
    ("doing", r"正在进行|进行中|正在做|在做|处理中|推进中|已开始|开始做"),
    ("done", r"已经完成|已完成|完成了|完成|做完了?|搞定了?|已提交|已上交|已交|已做完?|done"),
]
STATUS = re.compile("|".join(f"(?P<{name}>{words})" for name, words in STATUS_WORDS), re.IGNORECASE)
MINE = re.compile(r"^(?:我的(?:任务|待办|工作|事项)|我(?:还)?有(?:哪些|什么|啥)(?:任务|待办|没完成|没做|要做|要交)|我负责的|我(?:还)?(?:有)?(?:什么|哪些|啥)没(?:完成|做|交))")
# Words before or after a report that are not a person's name.
NOT_A_NAME = re.compile(r"^(?:今天|昨天|刚刚|刚才|已经|都|全部|这个|那个|这项|那项|任务|工作|号|我|本人|自己|我们|大家|好的|收到|okay|ok)$",
                        re.IGNORECASE)
PARTICLES = re.compile(r"^[了啦呢吧哦嗯的啊呀]+|[了啦呢吧哦嗯的啊呀]+$")
PERSON = re.compile(r"^[\u4e00-\u9fa5·]{2,8}$")
# A question never changes anyone's status: "6还有谁没交" asks, it does not report.
QUESTION = re.compile(r"什么|哪些|啥|吗|么|\?|几|多少|是否|有没有|谁|咋")
QUERY_HINT = re.compile(r"什么时候|啥时候|哪天|几号|何时|有什么|有哪些|有啥|任务|活动|安排|计划|日程|事情|干什么|做什么|要干|要做")
# Words around a topic in a question, longest first so 什么时候 goes before 什么.
FILLERS = sorted(
    """什么时候 啥时候 哪一天 哪天 几号 何时 有什么 有哪些 有啥 都有 有没有 都 什么 哪些 啥 吗 呢 嘛 呀 啊 吧 要干什么 要做什么
    干什么 做什么 要干 要做 需要 任务 活动 安排 事情 事儿 事 工作 计划 日程 内容 请问 一下 查一下 查询 查看 看看 帮我 告诉我
    我们 咱们 大家 学校 最近 近期 方面 相关 关于 有关 的 了 有 要 是 在 举行 举办 进行 召开""".split(),   # no 开: 公开课, 开学典礼
    key=len, reverse=True,
)
FILLER = re.compile("|".join(map(re.escape, FILLERS)))
CHATTER = re.compile(r"见|快乐|请假|请个假|好的|收到|谢谢|辛苦|晚安|早安|加油|祝|哈哈|[～~]$")
# What is left of "明天有啥要弄的不", "期中考试啥时候考": the verb or particle closing the question, not its topic.
TRAILING_CHATTER = re.compile(r"(?<=..)(?:考|弄|忙|搞|干|不)+$|^(?:要?(?:弄|忙|搞)的?|不)+$|^开(?=\S+会$)")   # 开家长会: the 家长会
PUNCTUATION = re.compile(r"[\s,.!?;:、，。！？；：#~\-—()（）\"“”'‘’]+")


@dataclass(frozen=True)
class Intent:
    kind: str                      # query | report | progress | mine | help | link | settings | unknown
    start: date | None = None
    end: date | None = None
    keyword: str | None = None
    status: str | None = None      # done | doing | blocked | todo; for settings: on | off
    task: str | None = None        # the number typed, or the words naming the task
    note: str | None = None
    person: str | None = None      # a report on someone else's behalf: the name given

    def to_json(self) -> dict:
        data: dict = {"intent": self.kind}
        if self.kind == "query":
            data.update(start=_iso(self.start), end=_iso(self.end))
            if self.keyword:
                data["keyword"] = self.keyword
        if self.kind == "report":
            data.update(status=self.status, task=self.task)
            if self.note:
                data["note"] = self.note
            if self.person:
                data["person"] = self.person
        if self.kind == "progress":
            data["task"] = self.task
        if self.kind == "link":
            data["school"] = self.keyword
        if self.kind == "settings":
            data.update(words=self.keyword or "", switch=self.status)
        return data


def parse(text: str, today: date, term: tuple[date, date] | None = None, bot_names: tuple[str, ...] = ()) -> Intent:
    words = normalize(text, bot_names)
    if not words:
        return Intent("unknown")
    if m := SETTINGS.match(words):
        return Intent("settings", keyword=m["args"].strip())
    if m := SWITCH.match(words):
        return Intent("settings", keyword=m["args"].strip(), status="on" if m["on"] else "off")
    if m := LINK.match(words):
        return Intent("link", keyword=m["school"].strip())
    if HELP.search(words):
        return Intent("help")
    if MINE.match(words):
        return Intent("mine")
    if (progress := _progress(words)) is not None:
        return progress
    if not QUESTION.search(words) and (report := _report(words)) is not None:
        return report
    return _query(words, today, term) or Intent("unknown")


def _progress(words: str) -> Intent | None:
    for pattern in PROGRESS:
        if m := pattern.search(words):
            return Intent("progress", task=m["task"].strip())
    return None


def _report(words: str) -> Intent | None:
    m = STATUS.search(words)
    if not m:
        return None
    status = m.lastgroup
    before, after = words[:m.start()], words[m.end():]
    number = re.search(r"#?(\d{1,5})", before + " " + after)
    person = None
    if number:
        task = number.group(1)
        in_after = number.start() > len(before)
        before_rest = before if in_after else before.replace(number.group(0), "", 1)
        note_words = after.replace(number.group(0), "", 1) if in_after else after
        person = _person(before_rest) or (None if status == "blocked" else _person(note_words))
    else:
        task = PUNCTUATION.sub("", before) or None
        note_words = after
    note = PUNCTUATION.sub(" ", note_words).strip() or None
    if task and not number and len(task) > 20:
        return None  # a long sentence that happens to contain 完成 is not a report
    return Intent("report", status=status, task=task, note=note if status == "blocked" else None, person=person)


def _person(words: str) -> str | None:
    """A name beside a task number ("12 王老师 已完成"): checked against the roster later."""
    name = PARTICLES.sub("", PUNCTUATION.sub("", words))
    return name if PERSON.match(name) and not NOT_A_NAME.match(name) else None


def _query(words: str, today: date, term) -> Intent | None:
    span = find_span(words, today, term)
    rest = words[:span.at[0]] + " " + words[span.at[1]:] if span else words
    keyword = TRAILING_CHATTER.sub("", PUNCTUATION.sub("", FILLER.sub(" ", rest))) or None
    if span and keyword and CHATTER.search(words) and not QUESTION.search(words) and not QUERY_HINT.search(words):
        return None   # "明天见～", "周末快乐", "我明天请个假": a day named in passing, not a question
    if span:
        return Intent("query", span.start, span.end, keyword)
    if not QUERY_HINT.search(words) and not (keyword and QUESTION.search(words)):
        return None
    if keyword:
        return Intent("query", None, None, keyword)   # 运动会什么时候: any time
    monday = today - timedelta(days=today.weekday())   # 有什么任务: this week
    return Intent("query", monday, monday + timedelta(days=6))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
