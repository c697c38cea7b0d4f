"""Status by reply: "完成 12", "7 有困难，缺少场地", "撤销 7", "12 进度", "我的任务".

Each report is a new row; what a task's state is comes from the latest reports of the
people who answer for it (bot/people/progress.py). Teachers report for themselves;
admins may name someone ("完成 12 王老师", or @ them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot import texts
from bot.answers import fit, shared_budget, shorten_names
from bot.context import ChatContext
from bot.messages import IncomingMessage, Reply
from bot.people.progress import UnitState
from bot.people.roles import HONORIFIC
from bot.progress import SchoolProgress
from bot.task_dates import dated_range, in_force, recurrence_of
from bot.texts.format import task_line
from bot.understanding import Mine, Progress, Report, ReportStatus
from storage import status
from storage.people import MemberRow
from storage.plans import TaskRow, get_task_by_number, list_tasks

QUOTED_NUMBER = re.compile(r"#(\d{1,5})")
NEAR_DAYS = 14           # "已完成" with no task: candidates are the sender's tasks this close to today
MAX_CANDIDATES = 6


@dataclass(frozen=True)
class _Found:
    task: TaskRow | None = None
    reply: Reply | None = None     # why there is no single task


def answer_status(intent: Report | Progress, message: IncomingMessage, ctx: ChatContext) -> Reply:
    school = SchoolProgress.for_chat(ctx)
    if isinstance(intent, Progress):
        found = _find_task(intent.task, message, ctx, school)
        return found.reply or _progress_reply(found.task, school, ctx)
    if not intent.also:
        return _report(intent, message, ctx, school)
    replies = [_report(one, message, ctx, school) for one in (intent, *intent.also)]   # "完成 12，13 有困难"
    return Reply(texts.REPORT_TITLE, "\n\n".join(r.markdown for r in replies), mention_sender=any(r.mention_sender for r in replies))


def answer_mine(intent: Mine, message: IncomingMessage, ctx: ChatContext) -> Reply:
    if ctx.member_id is None:
        return Reply(texts.MINE_TITLE, texts.MINE_UNKNOWN_SENDER)
    school = SchoolProgress.for_chat(ctx)
    open_tasks = _open_tasks_of(ctx.member_id, ctx, school)
    if not open_tasks:
        return Reply(texts.MINE_TITLE, texts.MINE_NONE)
    lines = ["#### " + texts.MINE_HEADING.format(title=texts.MINE_TITLE, count=len(open_tasks))]
    for task, state in open_tasks:
        late = texts.OVERDUE if (r := dated_range(task, ctx.term)) and r[1] < ctx.today else ""
        mark = texts.MINE_STATE.format(state=texts.STATUS_WORDS[state]) if state else ""
        lines.append(task_line(task, with_dates=True, term=ctx.term) + mark + late)
    lines.append(texts.MINE_HINT)
    return Reply(texts.MINE_TITLE, fit(lines, ctx.reply_bytes))


def _report(intent: Report, message: IncomingMessage, ctx: ChatContext, school: SchoolProgress) -> Reply:
    found = _find_task(intent.task, message, ctx, school, asking_for=intent.status)
    if found.reply:
        return found.reply
    task = found.task
    target = _target(intent, message, ctx, school)
    if isinstance(target, Reply):
        return target
    units = school.units(task.owner)
    if units and not any(target.id in u.member_ids for u in units):
        who = texts.YOU if target.id == ctx.member_id else target.name
        return Reply(texts.REPORT_TITLE, texts.REPORT_NOT_YOURS.format(who=who, number=task.number, owner=task.owner or ""),
                     mention_sender=True)
    status.record_report(ctx.database, status.NewReport(
        task_id=task.id, member_id=target.id, reported_by_id=ctx.member_id, status=intent.status, words=message.text,
        note=intent.note, platform=message.platform, platform_msg_id=message.msg_id,
        conversation_id=message.chat_id if message.is_group else None, reported_at=message.sent_at,
    ))
    progress = school.of([task])[task.id]
    tally = progress.tally()
    line = texts.REPORT_DONE.format(who=target.name, number=task.number, title=task.title,
                                    state=texts.STATUS_WORDS[intent.status], note=texts.REPORT_NOTE.format(note=intent.note) if intent.note else "")
    return Reply(texts.REPORT_TITLE, line + (texts.REPORT_TALLY.format(tally=tally) if tally else ""))


def _target(intent: Report, message: IncomingMessage, ctx: ChatContext, school: SchoolProgress) -> MemberRow | Reply:
    """Whom the report is about: the sender, or for an admin the person named or @-mentioned."""
    named = _named_member(intent.person, message, ctx, school)
    if isinstance(named, Reply):
        return named
    if named is not None and named.id != ctx.member_id:
        if not message.is_admin:
            return Reply(texts.REPORT_TITLE, texts.REPORT_ONLY_OWN, mention_sender=True)
        return named
    if ctx.member_id is None or ctx.member_id not in school.members:
        return Reply(texts.REPORT_TITLE, texts.REPORT_WHO)
    return school.members[ctx.member_id]


def _named_member(person: str | None, message: IncomingMessage, ctx: ChatContext, school: SchoolProgress):
    by_id = [m for m in school.members.values()
             if message.platform in ("dingtalk", "wecom") and
             (m.dingtalk_user_id if message.platform == "dingtalk" else m.wecom_user_id) in message.mentioned_user_ids]
    if len(by_id) == 1:
        return by_id[0]
    if not person:
        return None
    for name in (person, person.removesuffix(HONORIFIC)):
        namesakes = [m for m in school.members.values() if m.name in (name, name + HONORIFIC)]
        if len(namesakes) == 1:
            return namesakes[0]
        if len(namesakes) > 1:
            return Reply(texts.REPORT_TITLE, texts.REPORT_NAMESAKES.format(name=name, count=len(namesakes)))
    # Not a name on the roster: record nothing rather than take it for the sender's own report.
    return Reply(texts.REPORT_TITLE, texts.REPORT_NAME_UNKNOWN.format(name=person), mention_sender=True)


def _find_task(words: str | None, message: IncomingMessage, ctx: ChatContext, school: SchoolProgress,
               asking_for: ReportStatus | None = None) -> _Found:
    if words and words.isdigit():
        task = get_task_by_number(ctx.database, ctx.school_id, int(words))
        return _Found(task) if task else _Found(reply=Reply(texts.REPORT_TITLE, texts.TASK_UNKNOWN_NUMBER.format(number=words)))
    tasks = list_tasks(ctx.database, ctx.school_id)
    if words:
        matches = _by_title(words, tasks, ctx)
        if len(matches) == 1:
            return _Found(matches[0])
        if not matches:
            return _Found(reply=Reply(texts.REPORT_TITLE, texts.TASK_UNKNOWN_TITLE.format(words=words)))
        return _Found(reply=_which(matches, ctx, asking_for))
    quoted = {int(n) for n in QUOTED_NUMBER.findall(message.quoted_text)}
    if len(quoted) == 1:
        task = get_task_by_number(ctx.database, ctx.school_id, quoted.pop())
        if task:
            return _Found(task)
    candidates = [t for t in tasks if t.number in quoted] if quoted else _near(tasks, ctx, school)
    return _Found(reply=_which(candidates, ctx, asking_for))


def _by_title(words: str, tasks: list[TaskRow], ctx: ChatContext) -> list[TaskRow]:
    exact = [t for t in tasks if t.title == words]
    if exact:
        return exact
    found = [t for t in tasks if words in t.title]
    # Two 运动会 in one plan, spring and autumn: the one within weeks of today is meant, unless an
    # undated duty also matches.
    ranges = [dated_range(t, ctx.term) for t in found]
    near = [t for t, r in zip(found, ranges, strict=True) if r and abs((r[0] - ctx.today).days) <= 45]
    return near if len(near) == 1 and all(ranges) else found


def _near(tasks: list[TaskRow], ctx: ChatContext, school: SchoolProgress) -> list[TaskRow]:
    """The sender's own dated tasks around today, else anyone's."""
    first, last = ctx.today - timedelta(days=NEAR_DAYS), ctx.today + timedelta(days=NEAR_DAYS)
    dated = [t for t in tasks if (r := dated_range(t, ctx.term)) and r[0] <= last and r[1] >= first]
    if ctx.member_id is not None:
        own = [t for t in dated if any(ctx.member_id in u.member_ids for u in school.units(t.owner))]
        if own:
            return own
    return dated


def _which(candidates: list[TaskRow], ctx: ChatContext, asking_for: ReportStatus | None) -> Reply:
    verb = texts.STATUS_VERBS[asking_for or ReportStatus.DONE]
    if not candidates:
        return Reply(texts.REPORT_TITLE, texts.WHICH_TASK_NONE.format(verb=verb))
    lines = [texts.WHICH_TASK.format(verb=verb)]
    lines += [task_line(t, with_dates=True, term=ctx.term) for t in candidates[:MAX_CANDIDATES]]
    if len(candidates) > MAX_CANDIDATES:
        lines.append(texts.MORE_CANDIDATES.format(count=len(candidates) - MAX_CANDIDATES))
    return Reply(texts.REPORT_TITLE, "\n".join(lines), mention_sender=True)


def _progress_reply(task: TaskRow, school: SchoolProgress, ctx: ChatContext) -> Reply:
    progress = school.with_reads(school.of([task]))[task.id]
    names = school.names()
    title = texts.PROGRESS_TITLE.format(number=task.number, title=task.title)
    tally = texts.TALLY_SEPARATOR.join(part for part in (progress.tally(), progress.read_tally()) if part)
    lines = ["#### " + (texts.PROGRESS_TALLY.format(title=title, tally=tally) if tally else title)]
    if task.owner:
        lines.append(texts.PROGRESS_OWNER.format(owner=task.owner))
    lists = [(texts.STATUS_WORDS[state], [s for s in progress.states if s.status == state])
             for state in (ReportStatus.DONE, ReportStatus.DOING, ReportStatus.BLOCKED)]
    lists.append((texts.NOT_REPORTED, [s for s in progress.states if s.status is None]))
    lists = [(label, states) for label, states in lists if states]
    unread = progress.unread()
    tail = ([texts.PROGRESS_NOBODY_YET] if progress.is_open and not progress.states else []) + \
        ([texts.PROGRESS_OPEN] if progress.is_open else [])
    # Every list keeps its first names within a share of the message ("等 40 人"), so none is dropped whole.
    budget = shared_budget(ctx.reply_bytes, lines + tail, len(lists) + bool(unread))
    for label, states in lists:
        shown = shorten_names([_entry(s, names) for s in states], budget, _people(states))
        lines.append(texts.PROGRESS_STATE.format(state=label, count=len(states), names=shown))
    if unread:
        lines.append(texts.PROGRESS_UNREAD.format(count=len(unread), names=shorten_names([s.unit.label for s in unread], budget,
                                                                                         _people(unread))))
    return Reply(title, fit(lines + tail, ctx.reply_bytes))


def _people(states: list[UnitState]) -> bool:
    return not any(s.unit.is_department for s in states)


def _entry(state: UnitState, names: dict[int, str]) -> str:
    text = state.unit.label
    if state.unit.is_department and state.by is not None:
        text = texts.PROGRESS_REPORTED_BY.format(unit=text, name=names.get(state.by, ''))
    if state.note:
        text = texts.PROGRESS_NOTE.format(unit=text, note=state.note)
    return text


def _a_deliverable(task: TaskRow, ctx: ChatContext) -> bool:
    """An undated duty worth listing as someone's task: once a term or a month, in force now."""
    recurrence = recurrence_of(task)
    return recurrence is not None and recurrence.kind in ("termly", "monthly", "yearly") and in_force(task, ctx.today, ctx.today)


def _open_tasks_of(member_id: int, ctx: ChatContext, school: SchoolProgress) -> list[tuple[TaskRow, str | None]]:
    """The member's tasks not yet done, dated from the term's start (or 60 days back) to 30 days ahead."""
    term = ctx.term
    first = term.start if term and term.start <= ctx.today else ctx.today - timedelta(days=60)
    last = ctx.today + timedelta(days=30)
    mine = []
    for task in list_tasks(ctx.database, ctx.school_id, first, last):
        r = dated_range(task, term)
        if r is None and not _a_deliverable(task, ctx):
            continue
        if r is not None and (r[1] < first or r[0] > last):
            continue
        if any(member_id in u.member_ids for u in school.units(task.owner)):
            mine.append(task)
    progress = school.of(mine)
    result = []
    for task in sorted(mine, key=lambda t: (dated_range(t, term) or (date.max, date.max))[1]):
        state = progress[task.id].state_of(member_id)
        if state is None or state.status != ReportStatus.DONE:
            result.append((task, state.status if state else None))
    return result
