"""Status reports and progress checks: "完成 12", "7 有困难，缺少场地", "撤销 4", "12 进度", "谁还没交12".

A report changes someone's status, so only a message that is plainly one is read
as a report: a status word and a task, no question. Words that are only sometimes
a report ("好了", "交了") need a task number beside them.
"""
from __future__ import annotations

import re
from enum import StrEnum


class ReportStatus(StrEnum):
    """What a report says of a task; stored as its value (storage.status)."""
    DONE = "done"
    DOING = "doing"
    BLOCKED = "blocked"
    TODO = "todo"   # an undo: back to not done


TASK_REF = r"(?:任务|第)?\s*#?(?P<task>\d{1,5})(?:\s*号任务|\s*号)?"
NOT_DONE = r"(?:还)?(?:差(?:几个|多少)人?)?没(?:有)?(?:完成|交|报|做|反馈|弄|提交|done)"
PROGRESS = [
    re.compile(rf"^{TASK_REF}\s*(?:的)?\s*(?:进度|进展|完成情况|情况统计|(?:还有)?谁(?:还)?{NOT_DONE}|谁完成了|谁做了|谁交了)"),
    re.compile(rf"^(?:(?:还有)?谁(?:还)?{NOT_DONE}了?|谁完成了|谁交了|查看?|看看?|进度|统计)\s*{TASK_REF}"),
    re.compile(r"^(?P<task>[^\s\d#].{0,20}?)\s*的?\s*(?:进度|完成情况)$"),
    re.compile(rf"^(?P<task>[^\s\d#][^\s]{{1,20}}?)\s*(?:还有)?谁(?:还)?{NOT_DONE}"),   # 家访记录 谁还没交
]
# Who has or has not reported, asked beside a task number: "12 有多少人完成了", "12号任务有哪些老师还没有完成",
# "看下12号任务大家报了没".
WHO_REPORTED = re.compile(r"(?:谁|哪些|哪几位|几位|多少人|几个人|几人|大家|都)(?:老师|人)?.{0,6}?(?:没|完成|交|报|做|提交)|"
                          r"(?:报|交|做|完成|提交)(?:了|完)?(?:没有?|吗|么)[?？]*$")
# Undo first (取消完成 must not read as 完成), then trouble (完成不了, 搞不定), then under way, then done.
STATUS_WORDS = [
    (ReportStatus.TODO, r"取消完成|撤销完成|撤消完成|撤销|撤消|撤回|取消|未完成|改为未完成|重置|undo|"
                        r"(?:还)?没(?:有)?(?:完成|做完|弄完|交)"),
    (ReportStatus.BLOCKED, r"遇到困难|有困难|遇到问题|有问题|无法完成|完成不了|做不了|做不完|弄不了|弄不好|搞不定|搞不了|来不及|"
                           r"需要帮助|需要协助|受阻|卡住了?|困难|推不动|推进不了|联系不上|没法|没办法|blocked|stuck"),
    (ReportStatus.DOING, r"正在进行|进行中|正在做|正在弄|在做|在弄|在搞|在写|在准备|在改|在整理|在填|做了一半|一半了|处理中|推进中|已开始|"
                         r"快(?:要)?(?:完成|做完|弄完|好)了?|差不多(?:完成|做完|弄完|好)了?|完成了?(?:一半|大半|部分)|"
                         r"开始做|开始弄|doing|in progress|wip"),
    (ReportStatus.DONE, r"已经完成|已完成|完成了|完成|做完了?|做好了?|弄好了?|弄完了?|搞定了?|搞完了?|办完了?|办好了?|已提交|已上交|已交|"
                        r"已做完?|已办|提交了|交了|上交了|好了|ok了|done|finish(?:ed)?了?|完事了?"),
]
STATUS = re.compile("|".join(f"(?P<{name}>{words})" for name, words in STATUS_WORDS), re.IGNORECASE)
# "12完成了吗", "完成 12 了吗", "9 有困难吗？": a status asked about a task is a progress check.
ASKED = re.compile(r"(?:吗|么|没有?|不)\s*[?？]*$|[?？]\s*$")
TASK_NUMBER = re.compile(r"(?<![A-Za-z0-9.\-])#?(\d{1,5})(?![A-Za-z0-9.])")   # not 1e3, -12 or 12.5
# "收到，12 明天完成", "完成后告诉你": a promise, not a report.
PROMISE = re.compile(r"马上|立刻|立即|稍后|一会儿?|待会儿?|晚点|尽快|回头|明天|后天|下周|之后|以后|完成后|做完后|交了再|"
                     r"会(?:完成|交|提交)|将(?:完成|提交)|准备|打算|争取|计划|要(?:完成|交|提交)")
# Said alone these acknowledge or chat; with a task number they report.
NEEDS_A_NUMBER = re.compile(r"^(?:好了|交了|提交了|上交了|ok了|做好了?|办好了?|弄好了?|完事了?)$", re.IGNORECASE)
WHEN_SAID = re.compile(r"今晚|晚上|下午|上午|中午|早上|[前内]$|周[一二三四五六日天]|星期|礼拜|月底|月初")
PERFECTIVE = re.compile(r"^已|了")
# A report is plain: these say the message instructs, guesses, supposes or quotes ("12 完成的老师请接龙",
# "12 完成了吧", "如果12完成了请告诉我", "张老师说12已经完成了").
NOT_PLAIN = re.compile(r"请|麻烦|说一下|告诉|接龙|举手|跟我说|抓紧|联系我|及时|统计|人数|如果|的话|再说|等|是不是|吧|应该|可能|好像|"
                       r"估计|大概|说|[“”\"「」]|不是我|提醒|密码|的(?:老师|同事|人|请|举手)|^的")
NOT_A_NOTE = re.compile(r"^\s*(?:的|请|及时|就|要|跟|找|联系我|告诉)")
# Words that may stand beside a plain report.
ALLOWED = re.compile(r"已经|都|全部|全都|我的|我这边|我这里|我|本人|今天|昨天|上午|下午|晚上|中午|早上|刚刚|刚才|终于|总算|已|任务|号|第|项|那个|就是|嗯|"
                     r"点错了|弄错了|搞错了|改回|改为|改成|ok|好的|收到|啦|了", re.IGNORECASE)
# Words before or after a report that are not a person's name.
NOT_A_NAME = re.compile(r"^(?:今天|昨天|刚刚|刚才|已经|都|全部|这个|那个|这项|那项|任务|工作|号|我|本人|自己|我们|大家|好的|收到|okay|ok|"
                        r"上午|下午|晚上|中午|早上|终于|总算|基本|全都)$",
                        re.IGNORECASE)
PARTICLES = re.compile(r"^[了啦呢吧哦嗯的啊呀]+|[了啦呢吧哦嗯的啊呀]+$")
PERSON = re.compile(r"^[\u4e00-\u9fa5·]{2,8}$")
PUNCTUATION = re.compile(r"[\s,.!?;:、，。！？；：#~\-—()（）\"“”'‘’]+")
MAX_TASK_WORDS = 20   # a long sentence that happens to contain 完成 is not a report


def progress_of(words: str) -> str | None:
    """The task whose progress is asked for, or None."""
    for pattern in PROGRESS:
        if m := pattern.search(words):
            return m["task"].strip()
    numbers = TASK_NUMBER.findall(words)
    if len(numbers) == 1 and ((STATUS.search(words) and ASKED.search(words)) or WHO_REPORTED.search(words)):
        return numbers[0]
    return None


def report_of(words: str) -> dict | None:
    """status, task, note and person of a report, or None when the words are not plainly one."""
    m = STATUS.search(words)
    if not m or PROMISE.search(words[:m.start()]) or PROMISE.match(words[m.start():]):
        return None
    if WHEN_SAID.search(words[:m.start()]) and not PERFECTIVE.search(words[m.start():m.end() + 1]):
        return None   # "12 今晚完成", "12 周五前完成": when it will be done; "12 下午已完成" is done
    status = ReportStatus(m.lastgroup)
    before, after = words[:m.start()], words[m.end():]
    if NOT_PLAIN.search(before) or (NOT_PLAIN.search(after) if status is not ReportStatus.BLOCKED else NOT_A_NOTE.match(after)):
        return None   # an instruction, a guess, a condition or someone else's words ("12 完成的老师请接龙")
    numbers = TASK_NUMBER.findall(before + " " + after)
    if len(set(numbers)) > 1:
        return None   # several tasks in one message: handled by reports_of
    number = TASK_NUMBER.search(before + " " + after)
    person = None
    if number:
        task = number.group(1)
        in_after = number.start() > len(before)
        before_rest = before if in_after else before.replace(number.group(0), "", 1)
        note_words = after.replace(number.group(0), "", 1) if in_after else after
        person = _person(before_rest) or (None if status is ReportStatus.BLOCKED else _person(note_words))
        leftover = _leftover(before_rest) + ("" if status is ReportStatus.BLOCKED else _leftover(note_words))
        if leftover and leftover != person:
            return None   # words around the report that are neither a name nor a particle
    else:
        if NEEDS_A_NUMBER.match(m.group(0)):
            return None
        task = PUNCTUATION.sub("", before) or None
        note_words = after
        if status is not ReportStatus.BLOCKED and _leftover(after):
            return None
    note = PUNCTUATION.sub(" ", note_words).strip() or None
    if task and not number and len(task) > MAX_TASK_WORDS:
        return None
    return {"status": status, "task": task, "note": note if status is ReportStatus.BLOCKED else None, "person": person}


def _leftover(words: str) -> str:
    return PARTICLES.sub("", ALLOWED.sub("", PUNCTUATION.sub("", words)))


def _person(words: str) -> str | None:
    """A name beside a task number ("12 王老师 已完成"): checked against the roster later."""
    name = PARTICLES.sub("", PUNCTUATION.sub("", words))
    return name if PERSON.match(name) and not NOT_A_NAME.match(name) else None


CLAUSES = re.compile(r"[\n；;，,]+")
JOINED_NUMBERS = re.compile(r"^#?\d{1,5}(?:\s*(?:和|、|,|，|及|与|跟|\s)\s*#?\d{1,5})+$")


def reports_of(words: str) -> list[dict]:
    """One report, or several in one message ("完成 12，13 有困难", "12和13都完成了", one a line)."""
    clauses = [c for c in CLAUSES.split(words) if c.strip()]
    if len(clauses) > 1:
        each = [report_of(c) for c in clauses]
        if all(r is not None and r["task"] and r["task"].isdigit() for r in each):
            return each
    if (single := report_of(words)) is not None:
        return [single]
    m = STATUS.search(words)
    if m is None or m.lastgroup == ReportStatus.BLOCKED or NOT_PLAIN.search(words) or PROMISE.search(words):
        return []
    rest = PUNCTUATION.sub(" ", ALLOWED.sub(" ", words[:m.start()] + " " + words[m.end():])).strip()
    if not JOINED_NUMBERS.match(rest):
        return []
    return [{"status": ReportStatus(m.lastgroup), "task": n, "note": None, "person": None} for n in dict.fromkeys(TASK_NUMBER.findall(rest))]
