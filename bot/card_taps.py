"""A tap on a reminder's status card (已完成 · 进行中 · 有困难) is the chat message it stands for.

The tap goes through the dispatcher as "完成 12" from the tapper, under the platform's event id:
the same permissions (a teacher reports for themselves), the same report, and a redelivered
tap is dropped there. Then the card shows the new tally to everyone and the tapper's state to
them alone. A tap by someone the task does not concern gets the chat answer, privately, and
the card is left as it was.
"""
from __future__ import annotations

import logging
from datetime import datetime

from bot import texts
from bot.context import ChatContext
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage
from bot.platforms.dingtalk_api import DingTalkApi
from bot.platforms.dingtalk_card import CardTap, callback_answer, update_body
from bot.progress import SchoolProgress
from storage.plans import get_task_by_number
from storage.school_calendar import school_terms

log = logging.getLogger(__name__)


class StatusCardTaps:
    def __init__(self, dispatcher: Dispatcher, api: DingTalkApi) -> None:
        self.dispatcher, self.api = dispatcher, api

    def tap(self, tap: CardTap, now: datetime) -> dict:
        """Record the tap as its chat message; the callback's answer (what the tapper alone sees)."""
        message = IncomingMessage("dingtalk", f"card:{tap.event_id}", tap.conversation_id, tap.user_id, "", tap.words, now)
        reply = self.dispatcher.handle(message)
        school_id = self.dispatcher.school_of(message)
        task = get_task_by_number(self.dispatcher.database, school_id, tap.task_number) if school_id is not None else None
        if task is None:
            return callback_answer(reply.markdown if reply else "")
        tz = self.dispatcher.settings.tz
        context = ChatContext(self.dispatcher.database, school_id, now.astimezone(tz).date(),
                              school_terms(self.dispatcher.database, school_id), tz=tz)
        school = SchoolProgress.for_chat(context)
        member = next((m for m in school.members.values() if m.dingtalk_user_id == tap.user_id), None)
        if member is None or not any(member.id in unit.member_ids for unit in school.units(task.owner)):
            return callback_answer(reply.markdown if reply else "")   # not theirs: nothing on the card changes
        progress = school.of([task])[task.id]
        state = progress.state_of(member.id)
        mine = texts.STATUS_WORDS[state.status] if state and state.status else ""
        result = self.api.update_card(update_body(tap.out_track_id, progress.tally(), tap.user_id, mine))
        if not result.ok:
            log.warning("status card %s not updated: %s", tap.out_track_id, result.error)
        return callback_answer(mine)
