"""WeCom 智能机器人 status buttons: a button_interaction template card under a reminder, the tap that comes
back (aibot_event_callback, eventtype template_card_event), and the card's update (aibot_respond_update_msg,
on the event's req_id, within 5 s). (developer.work.weixin.qq.com/document/path/101463, 101027, 101032)

A button's key names the task and the state ("status:12:done"); who tapped is the event's from.userid, never
the key. A tap becomes the chat message a teacher would send ("完成 12", "进行中 12"), so it is recorded, refused or
deduplicated (by the event's msgid) exactly as that message is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot import texts
from bot.messages import IncomingMessage, Reply
from bot.platforms.wecom_bot import AibotFrame, _object, _sent_at, _text

TEMPLATE_CARD_EVENT = "template_card_event"
KEY = re.compile(r"^status:(\d{1,5}):(done|doing|blocked)$")
BUTTONS = (("done", 1), ("doing", 4), ("blocked", 2))   # state, WeCom button style (1 blue, 2 red, 4 grey)
TEXT_LIMIT = 1200


def card_id(number: int, nonce: str) -> str:
    """The card's task_id: unique per card (WeCom updates a card by it); letters, digits and _-@ only."""
    return f"task{number}-{re.sub(r'[^0-9A-Za-z_@-]', '', nonce)}"[:128]


def status_card(reply: Reply, number: int, task_id: str) -> dict:
    """A button_interaction card: the reminder's words, and 已完成 · 进行中 · 有困难 for task `number`."""
    return {"card_type": "button_interaction", "main_title": {"title": reply.title[:36]},
            "sub_title_text": reply.markdown[:TEXT_LIMIT], "task_id": task_id,
            "button_list": [{"text": texts.STATUS_WORDS[state], "style": style, "key": f"status:{number}:{state}"}
                            for state, style in BUTTONS]}


def card_body(chat_id: str, card: dict) -> dict:
    """aibot_send_msg's body for a card to a chat."""
    return {"chatid": chat_id, "msgtype": "template_card", "template_card": card}


def update_body(card: dict, answer: Reply, userids: tuple[str, ...] = ()) -> dict:
    """aibot_respond_update_msg's body: the same card (same task_id, buttons kept) now saying `answer`;
    only for `userids` when given (a private answer)."""
    body = {"response_type": "update_template_card",
            "template_card": {**card, "sub_title_text": answer.markdown[:TEXT_LIMIT]}}
    return {**body, "userids": list(userids)} if userids else body


@dataclass(frozen=True)
class Tap:
    msg_id: str
    chat_id: str
    sender_id: str
    is_group: bool
    number: int
    state: str
    task_id: str          # the card's
    sent_at: object

    def as_message(self, req_id: str) -> IncomingMessage:
        """The chat message the tap stands for, answered on the event's req_id."""
        return IncomingMessage(platform="wecom", msg_id=self.msg_id, chat_id=self.chat_id, sender_id=self.sender_id,
                               sender_name="", text=f"{texts.STATUS_VERBS[self.state]} {self.number}", sent_at=self.sent_at,
                               is_group=self.is_group, reply_target=AibotFrame(req_id))


def parse_tap(body: object) -> Tap | None:
    """A status button's tap from an aibot_event_callback body; None for any other event or key."""
    body = _object(body)
    event = _object(body.get("event"))
    if _text(event.get("eventtype")) != TEMPLATE_CARD_EVENT:
        return None
    card = _object(event.get(TEMPLATE_CARD_EVENT))
    key = KEY.match(_text(card.get("event_key")))
    sender, msg_id = _text(_object(body.get("from")).get("userid")), _text(body.get("msgid"))
    is_group = _text(body.get("chattype")) == "group"
    chat_id = _text(body.get("chatid")) if is_group else sender
    if key is None or not sender or not msg_id or not chat_id:
        return None
    return Tap(msg_id, chat_id, sender, is_group, int(key.group(1)), key.group(2), _text(card.get("task_id")),
               _sent_at(body.get("create_time")))
