"""What a teacher's message asks for: help, a progress check, a status report, a query, or nothing we know.

Each kind is its own frozen value with only the fields it has (a Link names a school, a
Settings change carries its words and a switch), tagged by a `kind` class attribute that
chooses the handler. Order matters in `parse`: help and progress are recognised by their own
words; a status report is a task plus a status word and no question; anything that names a
time, a topic with a question, or asks about tasks is a query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from .normalize import normalize
from .questions import QUESTION, Ask, question_of
from .reports import ReportStatus, progress_of, reports_of

MAX_CHARS = 300   # a question or a report is a line or two; a pasted essay is read no further than this
LINK = re.compile(r"^(?:绑定|关联|设置)(?:学校|本群学校|到)?\s*[:：]?\s*(?P<school>\S.{0,40})$")
SETTINGS = re.compile(r"^(?:提醒设置|设置提醒|提醒配置|本群提醒)\s*[:：]?\s*(?P<args>.*)$")
SWITCH = re.compile(r"^(?:(?P<on>开启|打开|启用|开通)|(?P<off>关闭|停用|关掉))(?:本群|群)?(?:的)?(?:提醒|推送)\s*(?P<args>.*)$")
HELP = re.compile(
    r"帮助|怎么用|怎么使用|如何使用|咋用|不会用|求教|使用(?:说明|方法|教程|指南)|操作(?:指南|说明|方法)|教程|用法|说明书|"
    r"^(?:指令|命令)|(?:指令|命令)(?:格式|是啥|是什么)|(?:怎么|如何|咋)(?:告诉你|标记|撤销|撤回|取消|报告|反馈)|"
    r"你(?:都)?(?:能|会|可以)(?:做|干)?(?:些)?(?:什么|啥|嘛|哪些)|能干(?:嘛|啥|什么)|(?:有|都有)(?:什么|啥|哪些)功能|功能(?:列表|介绍|说明)|"
    r"(?:有|都有|支持)?(?:哪些|什么|啥)(?:指令|命令)|(?:指令|命令)(?:列表|大全)|(?:咋|怎么)(?:操作|整)|"
    r"(?:怎么|如何|咋)(?:查|报(?![名到销])|汇报|上报|问|提问|提交进度)(?!.*(?:活动|安排|时候|哪天))|"
    r"^/?help\W*$|^how to use|^菜单$|^指令$|^\?+$", re.IGNORECASE)
MINE = re.compile(r"^(?:我的(?:任务|待办|工作|事项)|我(?:还)?有(?:哪些|什么|啥)(?:任务|待办|没完成|没做|要做|要交)|我负责的|我(?:还)?(?:有)?(?:什么|哪些|啥)没(?:完成|做|交))")


@dataclass(frozen=True)
class Query:
    """What is on in a span, or when a topic is (start None: any time); `ask` narrows what is wanted of it."""
    kind: ClassVar[str] = "query"
    start: date | None = None
    end: date | None = None
    keyword: str | None = None
    ask: Ask | None = None   # None asks what is on

    def to_json(self) -> dict:
        data = {"intent": self.kind, "start": _iso(self.start), "end": _iso(self.end)}
        if self.keyword:
            data["keyword"] = self.keyword
        if self.ask:
            data["ask"] = self.ask.value
        return data


@dataclass(frozen=True)
class Report:
    """A status for a task ("完成 12", "7 有困难，缺少场地"), perhaps on someone else's behalf."""
    kind: ClassVar[str] = "report"
    status: ReportStatus
    task: str | None = None        # the number typed, or the words naming the task; None: which one is asked
    note: str | None = None        # what the trouble is, for blocked
    person: str | None = None      # a report on someone else's behalf: the name given
    also: tuple[Report, ...] = ()  # more reports in the same message ("完成 12，13 有困难")

    def to_json(self) -> dict:
        data: dict = {"intent": self.kind, "status": self.status.value, "task": self.task}
        if self.note:
            data["note"] = self.note
        if self.person:
            data["person"] = self.person
        if self.also:
            data["also"] = [r.to_json() for r in self.also]
        return data


@dataclass(frozen=True)
class Progress:
    """Who has reported on a task ("12 进度", "谁还没交12")."""
    kind: ClassVar[str] = "progress"
    task: str

    def to_json(self) -> dict:
        return {"intent": self.kind, "task": self.task}


@dataclass(frozen=True)
class Mine:
    """The sender's own open tasks ("我的任务")."""
    kind: ClassVar[str] = "mine"

    def to_json(self) -> dict:
        return {"intent": self.kind}


@dataclass(frozen=True)
class Help:
    kind: ClassVar[str] = "help"

    def to_json(self) -> dict:
        return {"intent": self.kind}


@dataclass(frozen=True)
class Link:
    """An admin links this group to one of the schools the bot serves ("绑定学校 青禾小学")."""
    kind: ClassVar[str] = "link"
    school: str

    def to_json(self) -> dict:
        return {"intent": self.kind, "school": self.school}


@dataclass(frozen=True)
class Settings:
    """The group's reminder settings: shown ("提醒设置"), changed ("提醒设置 周报 8:00"), switched ("开启提醒")."""
    kind: ClassVar[str] = "settings"
    words: str = ""              # what follows the command: perhaps a group's name, then settings
    switch: bool | None = None   # 开启提醒: True, 关闭提醒: False; None: no switch said

    def to_json(self) -> dict:
        return {"intent": self.kind, "words": self.words, "switch": None if self.switch is None else ("on" if self.switch else "off")}


@dataclass(frozen=True)
class Unknown:
    kind: ClassVar[str] = "unknown"

    def to_json(self) -> dict:
        return {"intent": self.kind}


Intent = Query | Report | Progress | Mine | Help | Link | Settings | Unknown
KINDS = tuple(variant.kind for variant in (Query, Report, Progress, Mine, Help, Link, Settings, Unknown))


def parse(text: str, today: date, term: tuple[date, date] | None = None, bot_names: tuple[str, ...] = ()) -> Intent:
    words = normalize(text[:MAX_CHARS * 2], bot_names)[:MAX_CHARS]
    if not words:
        return Unknown()
    if m := SETTINGS.match(words):
        return Settings(m["args"].strip())
    if m := SWITCH.match(words):
        return Settings(m["args"].strip(), switch=bool(m["on"]))
    if m := LINK.match(words):
        return Link(m["school"].strip())
    if HELP.search(words):
        return Help()
    if MINE.match(words):
        return Mine()
    if (task := progress_of(words)) is not None:
        return Progress(task)
    if not QUESTION.search(words) and (reports := reports_of(words)):
        return Report(**reports[0], also=tuple(Report(**r) for r in reports[1:]))
    if (question := question_of(words, today, term)) is not None:
        return Query(question.start, question.end, question.keyword, question.ask)
    return Unknown()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
