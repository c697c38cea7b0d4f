"""Send what the ledger holds: each group on its own worker, paced, retried, recorded.

A group whose robot hangs or keeps failing only delays itself. Each row is marked
`sending` before its push and `sent` after, so a crash in between repeats at most
the pushes that were in flight. Throttles, 5xx and timeouts are retried with a
growing delay; after MAX_ATTEMPTS, or on an error that will not heal, a row fails
and the group is named in the log. A WeCom group without a webhook is reached by the 智能机器人
through `wecom_chat` (its long connection, held by the entry layer's process). Where this process
does not hold it, such a row waits without an attempt counted (another process may hold it), and
fails only HOLDER_WAIT past due. The WeCom app's one-to-one reminders (a group of their own, `by_app`)
go through the app's message API to each person the reminder concerns who has not yet done their part.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

import requests

from bot import schools
from bot.config import Settings
from bot.context import ChatContext
from bot.messages import Mention, Reply
from bot.platforms.dingtalk_api import DingTalkApi
from bot.platforms.dingtalk_card import out_track_id
from bot.platforms.robots import PushResult, push
from bot.platforms.wecom import app_card_id, app_status_card, plain_text
from bot.platforms.wecom_api import WeComApiError, WeComClient
from bot.progress import SchoolProgress
from bot.reminder_rules.planning import deadline_morning
from bot.reminder_rules.setting_words import reminder_settings
from bot.reminders.groups import reminder_groups
from bot.reminders.messages import mentions_for, render
from bot.reminders.passes import school_calendar
from bot.task_dates import dated_range
from storage import chats, deliveries, plans
from storage.db import Database
from storage.deliveries import DeliveryState, ReminderKind
from storage.read_receipts import ReadWatch

log = logging.getLogger(__name__)
PER_MINUTE = 20       # what DingTalk and WeCom allow one robot
MAX_ATTEMPTS = 6
MAX_GROUP_WORKERS = 8
HOLDER_WAIT = timedelta(days=1)   # a row for a WeCom AI-bot group waits this long past due for its connection
READ_AFTER = timedelta(hours=1)          # when to ask first who has read a reminder
READ_BEFORE_CHASE = timedelta(minutes=10)
# One-off tasks' reminders: a recurring duty's rounds would mix readers of different rounds.
WATCHED_KINDS = frozenset({ReminderKind.EVE, ReminderKind.MORNING, ReminderKind.DEADLINE, ReminderKind.CHASE})


class WeComChat(Protocol):
    """The WeCom 智能机器人's way into its groups, where this process holds the long connection."""

    def connected(self) -> bool: ...

    def send_to_chat(self, chat_id: str, reply: Reply) -> bool: ...


@dataclass
class SendReport:
    recorded: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    failing_groups: set[str] = field(default_factory=set)


def send_outstanding(now: datetime, settings: Settings, db: Database, http: requests.Session,
                     wecom_chat: WeComChat | None = None) -> SendReport:
    rows = deliveries.outstanding(db, now)
    report = SendReport()
    if not rows:   # most minutes: nothing to send, and no need to read every group
        return report
    groups = {g.id: g for g in reminder_groups(db, settings.wecom_bot.long_connection)}
    by_group: dict[int, list] = defaultdict(list)
    for row in rows:
        by_group[row.chat_id].append(row)
    default_school = schools.home_school(db, settings.school)
    app = settings.wecom
    wecom_app = WeComClient(app.api_base, app.corp_id, app.secret, app.agent_id, http) if app.app_can_send else None
    channel = _Channel(http, DingTalkApi(settings.dingtalk, http), wecom_chat, wecom_app)
    schools_sent_to = {g.school_id or default_school for chat_id in by_group if (g := groups.get(chat_id)) is not None}
    calendars = {school: school_calendar(settings, db, school) for school in schools_sent_to}   # once per school
    with ThreadPoolExecutor(max_workers=min(MAX_GROUP_WORKERS, len(by_group)), thread_name_prefix="push") as pool:
        for group_report in pool.map(
            lambda chat_id: _send_group(groups.get(chat_id), by_group[chat_id], now, db, channel, default_school, settings,
                                        calendars),
            list(by_group),
        ):
            report.sent += group_report.sent
            report.retrying += group_report.retrying
            report.failed += group_report.failed
            report.failing_groups |= group_report.failing_groups
    return report


def _owner_mentions(school: SchoolProgress, owner: str, platform: str) -> tuple[Mention, ...]:
    """Everyone the task's owner names: the role's holders, or the department's members."""
    ids = sorted({m for unit in school.units(owner) for m in unit.member_ids})
    return mentions_for([school.members[i] for i in ids], platform)


@dataclass(frozen=True)
class StatusCard:
    """What a reminder's status buttons need: its ledger row (the card's id), the task, the tally so far."""
    delivery_id: int
    task_number: int
    tally: str


class _Channel:
    """The way into a group: its robot webhook, or the bot itself in the conversation (DingTalk's enterprise
    robot, WeCom's 智能机器人)."""

    def __init__(self, http: requests.Session, dingtalk: DingTalkApi, wecom_chat: WeComChat | None,
                 wecom_app: WeComClient | None = None) -> None:
        self.http, self.dingtalk, self.wecom_chat, self.wecom_app = http, dingtalk, wecom_chat, wecom_app

    def push(self, group: chats.ReminderGroupRow, reply: Reply, card: StatusCard | None = None,
             to: tuple[str, ...] = ()) -> PushResult:
        """Never raises: a sender that does is a failed push to retry, so the row never stays `sending`
        (which the next pass would push again without counting an attempt). to: the app's recipients."""
        try:
            return self._push(group, reply, card, to)
        except Exception as failed:
            log.exception("pushing to group %s failed", group.name)
            return PushResult(False, retry=True, error=type(failed).__name__)

    def _push(self, group: chats.ReminderGroupRow, reply: Reply, card: StatusCard | None, to: tuple[str, ...]) -> PushResult:
        if group.webhook_url:
            return push(self.http, group.platform, group.webhook_url, group.webhook_secret, reply, int(time.time() * 1000))
        if group.by_app:
            return self._to_app(reply, card, to)
        if group.platform == "wecom":
            return self._to_wecom_chat(group.conversation_id, reply)
        if not self.dingtalk.configured:
            return PushResult(False, error="dingtalk.app_key/app_secret not configured")
        if card is not None and self.dingtalk.status_cards:
            return self.dingtalk.send_status_card(group.conversation_id, out_track_id(card.delivery_id, group.conversation_id),
                                                  reply, card.task_number, card.tally)
        return self.dingtalk.send_group_markdown(group.conversation_id, reply)

    def cards_for(self, group: chats.ReminderGroupRow) -> bool:
        """Whether the group's reminders carry status buttons: a DingTalk group the enterprise robot reaches, with a
        template; the WeCom app's one-to-one reminders."""
        return group.by_app or (group.platform == "dingtalk" and not group.webhook_url and self.dingtalk.status_cards)

    def _to_app(self, reply: Reply, card: StatusCard | None, to: tuple[str, ...]) -> PushResult:
        """One message to all of `to`, each receiving their own copy: a card with the status buttons, else text."""
        if self.wecom_app is None:
            return PushResult(False, error="wecom.corp_id/secret/agent_id not configured")
        try:
            if card is None:
                self.wecom_app.send_text("|".join(to), plain_text(reply.markdown))
                return PushResult(True)
            answer = self.wecom_app.send_card(to, app_status_card(reply, card.task_number,
                                                                  app_card_id(card.task_number, card.delivery_id)))
        except WeComApiError as refused:
            return PushResult(False, retry=refused.passing, error=str(refused))
        except (requests.RequestException, ValueError) as failed:
            return PushResult(False, retry=True, error=type(failed).__name__)
        if answer.get("invaliduser"):   # left the school, or outside the app's visible range: the others got it
            log.warning("the WeCom app could not reach %d of %d people", len(str(answer["invaliduser"]).split("|")), len(to))
        return PushResult(True)

    def here(self, group: chats.ReminderGroupRow) -> bool:
        """Whether this process can push into the group now: a WeCom group without a webhook only where
        this process holds the AI bot's connection (elsewhere its rows wait, no attempt counted)."""
        if group.webhook_url or group.by_app or group.platform != "wecom":
            return True
        return self.wecom_chat is not None and self.wecom_chat.connected()

    def _to_wecom_chat(self, chat_id: str, reply: Reply) -> PushResult:
        """Not accepted (or the connection dropped just now): tried again later, as a webhook that fails."""
        if self.wecom_chat is not None and self.wecom_chat.send_to_chat(chat_id, reply):
            return PushResult(True)
        return PushResult(False, retry=True, error="the WeCom bot is not connected, or WeCom refused the message")


def _app_recipients(roster: SchoolProgress, task, reply: Reply) -> tuple[str, ...]:
    """The WeCom userids the reminder names (a chase: those who have not reported; else the owners), less those
    whose part is done. WeCom takes at most 1,000 in one message."""
    progress = roster.of([task])[task.id]
    done = {roster.members[m].wecom_user_id for state in progress.states if state.status == "done"
            for m in state.unit.member_ids if m in roster.members}
    return tuple(dict.fromkeys(m.user_id for m in reply.mentions if m.user_id and m.user_id not in done))[:1000]


def _read_watch(result: PushResult, row, task, context: ChatContext, group, now: datetime,
                holidays: frozenset) -> ReadWatch | None:
    """For a one-off task's reminder whose read status DingTalk keeps: ask an hour after it went, and again
    just before the deadline's chase, so the chase can name those who have not even read it."""
    if not result.receipt_key or task is None or row.kind not in WATCHED_KINDS:
        return None
    days = dated_range(task, context.term)
    chase = deadline_morning(days[1], reminder_settings(group.settings), context.tz, holidays) if days else None
    return ReadWatch(result.receipt_key, now + READ_AFTER, chase - READ_BEFORE_CHASE if chase else None)


def _send_group(group, rows, now: datetime, db: Database, channel: _Channel, default_school: int,
                settings: Settings, calendars: dict[int, tuple]) -> SendReport:
    """calendars: each school's (terms, days off)."""
    report, recent, tz = SendReport(), deque(), settings.tz
    roster: SchoolProgress | None = None
    terms, holidays = calendars[group.school_id or default_school] if group is not None else ((), frozenset())
    for row in rows:
        if group is None:
            deliveries.mark(db, row.id, DeliveryState.FAILED, "group removed")
            report.failed += 1
            continue
        while recent and time.monotonic() - recent[0] > 60:
            recent.popleft()
        if len(recent) >= PER_MINUTE:  # the robot's budget is spent: the next pass continues
            deliveries.mark(db, row.id, DeliveryState.RETRY, "paced", now + timedelta(seconds=60))
            report.retrying += 1
            continue
        if not channel.here(group):
            if now - row.due_at > HOLDER_WAIT:
                deliveries.mark(db, row.id, DeliveryState.FAILED, "no process held the WeCom bot's connection")
                report.failed += 1
                report.failing_groups.add(group.name)
            else:
                deliveries.mark(db, row.id, DeliveryState.RETRY, "waiting for the WeCom bot's connection",
                                now + timedelta(seconds=60))
                report.retrying += 1
            continue
        school = group.school_id or default_school
        context = ChatContext(db, school, row.occurrence, terms, tz=tz)
        task = plans.get_task(db, row.task_id) if row.task_id else None
        reply = render(row, task, context, group.platform)
        if reply is None:
            deliveries.mark(db, row.id, DeliveryState.DROPPED, "nothing to say any more (task withdrawn, or everyone reported)")
            continue
        if task is not None and task.owner and not reply.mentions and row.kind != ReminderKind.CHASE:
            if roster is None:   # read once per group's batch, and only when a reminder names an owner
                roster = SchoolProgress(db, school, tz=tz)
            reply = replace(reply, mentions=_owner_mentions(roster, task.owner, group.platform))
        card, to = None, ()
        if task is not None and reply.status_buttons is not None and channel.cards_for(group):   # deadlines, chases
            if roster is None:
                roster = SchoolProgress(db, school, tz=tz)
            card = StatusCard(row.id, reply.status_buttons, roster.of([task])[task.id].tally())
        if group.by_app:   # one to one: a task's people, in this round of it (a weekly duty's last week does not count)
            to = _app_recipients(SchoolProgress.for_chat(context), task, reply) if task is not None else ()
            if not to:
                deliveries.mark(db, row.id, DeliveryState.DROPPED, "one to one only about a task: nobody it concerns "
                                                                   "has a WeCom userid, or all have done their part")
                continue
        deliveries.mark(db, row.id, DeliveryState.SENDING)
        recent.append(time.monotonic())
        result = channel.push(group, reply, card, to)
        if result.ok:
            reads = _read_watch(result, row, task, context, group, now, holidays)
            deliveries.mark(db, row.id, DeliveryState.SENT, reads=reads)
            report.sent += 1
        elif result.retry and row.attempts + 1 < MAX_ATTEMPTS:
            delay = timedelta(seconds=min(30 * 2 ** row.attempts, 1800))
            deliveries.mark(db, row.id, DeliveryState.RETRY, result.error, now + delay)
            report.retrying += 1
        else:
            deliveries.mark(db, row.id, DeliveryState.FAILED, result.error)
            report.failed += 1
            report.failing_groups.add(group.name)
            log.warning("reminders to group %s keep failing: %s", group.name, result.error)
    return report
