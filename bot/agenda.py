"""A span's tasks laid out for a phone screen: the chat answer and the weekly digest both use this.

About twenty lines: one-day items under their day, longer items under the range
they cover (a whole month is one heading), routine duties as one summary line
(or, for a single day, those that fall on that weekday), the same task never
twice. When a span holds more, the biggest groups are shortened first and say
what to ask to see the rest.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from bot import texts
from bot.task_dates import dated_range, due_in, in_force, recurrence_of, recurs_in, term_for
from bot.texts.format import describe_dates, describe_day, describe_range_heading, rhythm_word, routine_line, task_line
from bot.timegrammar.recurrence import Recurrence
from bot.understanding.topics import folded
from storage.school_calendar import Term

MAX_LINES = 20
LONG_SPAN_DAYS = 31
MAX_DAY_ROUTINE = 5


@dataclass
class Group:
    heading: str
    lines: list[str] = field(default_factory=list)
    see_more: str = ""       # what to ask to see all of it
    starts: date | None = None
    ends: date | None = None


@dataclass(frozen=True)
class SpanTasks:
    """What falls in a span, sorted into one-day items, longer items and routine duties."""
    days: dict[date, list]
    longer: list
    routine: list
    this_term: list = field(default_factory=list)   # once-a-term duties, for a question about one topic

    @property
    def empty(self) -> bool:
        return not (self.days or self.longer or self.routine or self.this_term)

    def dated(self) -> list:
        return [t for group in self.days.values() for t in group] + self.longer


def sort_span(tasks, first: date, last: date, term: Term | None, duties_rest: bool, on_topic: bool = False,
              terms: tuple = ()) -> SpanTasks:
    """on_topic: the tasks are those about one topic, so its once-a-term duties are worth naming too
    ("下周有没有公开课": none on the calendar, but 上好一节公开课 is due this term).
    duties_rest: the span is a school break; a month's items that belong to term days are not on then."""
    days: dict[date, list] = {}
    longer, routine, this_term, seen = [], [], [], set()
    for task in tasks:
        covered, rhythm = dated_range(task, term), recurrence_of(task)
        if covered is not None:
            during_term = duties_rest and covered[0] != covered[1] and term_for(terms, *covered) is not None
            if covered[0] <= last and covered[1] >= first and not during_term and _first_time(task, covered, seen):
                (days.setdefault(covered[0], []) if covered[0] == covered[1] else longer).append(task)
        elif (rhythm and not duties_rest and in_force(task, first, last)
              and recurs_in(rhythm, first, last, term) and _first_time(task, rhythm, seen)):
            routine.append(task)
        elif (on_topic and not duties_rest and term is not None and _once_a_term(rhythm)
              and in_force(task, first, last) and _first_time(task, rhythm, seen)):
            this_term.append(task)
    longer.sort(key=lambda t: dated_range(t, term))
    return SpanTasks(days, longer, routine, this_term)


def _once_a_term(rhythm: Recurrence | None) -> bool:
    return rhythm is not None and rhythm.kind in ("termly", "yearly")


def sort_due(tasks, first: date, last: date, term: Term | None) -> dict[date, list]:
    """Tasks due between first and last, by the day they are due."""
    due: dict[date, list] = {}
    seen: set = set()
    for task in tasks:
        day = due_in(task, task.title, first, last, term)
        if day is not None and _first_time(task, day, seen):
            due.setdefault(day, []).append(task)
    return dict(sorted(due.items()))


def once(tasks: list) -> list:
    """The tasks with each one the plan names twice (same title, same time) kept once."""
    seen: set = set()
    return [t for t in tasks if _first_time(t, (t.start, t.end, t.recurrence, t.term_anchor), seen)]


def _first_time(task, when, seen: set) -> bool:
    """A plan that names one task twice (in its text and again in its month table) lists it once."""
    key = (folded(task.title), str(when))
    if key in seen:
        return False
    seen.add(key)
    return True


def span_groups(found: SpanTasks, first: date, last: date, term: Term | None, tallies: dict, today: date | None = None) -> list[Group]:
    groups = []
    single_day = first == last
    for day in sorted(found.days):
        groups.append(Group(f"**{describe_day(day)}**", [task_line(t, tally=tallies.get(t.id)) for t in found.days[day]],
                            texts.ASK_DAY.format(day=describe_dates(day, day)), day, day))
    by_range: dict[tuple[date, date], list] = {}
    for task in found.longer:
        by_range.setdefault(dated_range(task, term), []).append(task)
    # What starts within the span comes by its day; what was already under way (the month's items) after.
    for (start, end), tasks in sorted(by_range.items(), key=lambda item: (item[0][0] < first, item[0])):
        heading = describe_range_heading(start, end)
        groups.append(Group(f"**{heading}**", [task_line(t, tally=tallies.get(t.id)) for t in tasks],
                            texts.ASK_MONTH.format(month=start.month) if start.month == end.month else "", start, end))
    if found.this_term:
        groups.append(Group(f"**{texts.THIS_TERM}**", [task_line(t, tally=tallies.get(t.id)) for t in found.this_term]))
    on_the_day = [t for t in found.routine if single_day and recurrence_of(t).weekdays] if found.routine else []
    if on_the_day:
        groups.append(Group(f"**{texts.ROUTINE}**", [routine_line(t) for t in on_the_day[:MAX_DAY_ROUTINE]], texts.ASK_ROUTINE))
    if (last - first).days > LONG_SPAN_DAYS:   # a term: in date order, what is over at the end
        return sorted(groups, key=lambda g: (g.starts is None, bool(today and g.ends and g.ends < today), g.starts or first))
    # A week: its days first, what was already under way (the month's items) after them.
    return sorted(groups, key=lambda g: (g.starts is None, g.starts is not None and g.starts < first, g.starts or first))


def routine_summary(routine: list, listed: int = 0) -> str | None:
    """"另有 15 项例行工作（每天 4 · 每周 6…），发“例行”查看。" for the duties not listed above."""
    rest = routine[listed:] if listed else routine
    if not rest:
        return None
    kinds = Counter(rhythm_word(recurrence_of(t)) for t in rest)
    return texts.ROUTINE_SUMMARY.format(count=len(rest), kinds=" · ".join(f"{k} {n}" for k, n in kinds.most_common()))


def lay_out(title: str, groups: list[Group], tail: list[str], budget: int = MAX_LINES) -> list[str]:
    """The title, the groups and the tail in about `budget` lines: long groups are cut first."""
    shown = [len(g.lines) for g in groups]

    def size() -> int:
        return 1 + len(tail) + sum(1 + n + (n < len(g.lines)) for n, g in zip(shown, groups, strict=True))

    while size() > budget and any(n > 1 for n in shown):
        biggest = max(range(len(groups)), key=lambda i: shown[i])
        shown[biggest] -= 1
    lines = [title]
    dropped = 0
    for n, group in zip(shown, groups, strict=True):
        if len(lines) + 2 + len(tail) > budget + 1:
            dropped += len(group.lines)   # the span is too long for one answer: later groups go
            continue
        lines.append(group.heading)
        lines += group.lines[:n]
        if n < len(group.lines):
            lines.append(texts.MORE_IN_GROUP.format(count=len(group.lines) - n, ask=group.see_more))
    if dropped:
        lines.append(texts.MORE_HIDDEN.format(count=dropped))
    return lines + tail
