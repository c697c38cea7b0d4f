"""WeCom 智能机器人 (AI bot): the message JSON both of its modes carry, and the replies back.

The webhook's decrypted callback and the long connection's `aibot_msg_callback` frame body are the
same JSON (接收消息, developer.work.weixin.qq.com/document/path/100719): msgid, aibotid, chatid (groups
only), chattype single|group, from.userid, response_url, msgtype text|image|mixed|voice|file, and
text.content / mixed.msg_item[] / quote. In groups the robot hears only messages that @ it, and the
text still starts with "@机器人名". A message is answered where it came from: in webhook mode by one
POST of {"msgtype": "markdown", "markdown": {"content": …}} to its response_url (主动回复消息,
/document/path/101138: usable once, for an hour); on the long connection through the callback's
headers.req_id (a stream reply, /document/path/101463), or later by aibot_send_msg to the chat.
WeCom markdown @s a member with <@userid> (the group robots' markdown, /document/path/91770).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

from bot.messages import IncomingMessage, Reply

# The same budget as DingTalk's, so both platforms give the same answer; under the 4096 bytes WeCom's
# robot markdown takes (the AI bot's stream content allows 20480).
REPLY_BYTES = 3800
MARKDOWN_BYTES = 4096
ANSWERED = ("text", "mixed")   # image, voice, file, stream refreshes and events get no answer
LEADING_MENTIONS = re.compile(r"^\s*(?:@\S+(?:\s+|$))+")


@dataclass(frozen=True)
class AibotFrame:
    """Long connection: the aibot_msg_callback frame's headers.req_id, which a reply must carry."""
    req_id: str


@dataclass(frozen=True)
class ResponseUrl:
    """Webhook mode: the message's one-use reply URL (valid about an hour)."""
    url: str

    def trusted(self, base: str) -> bool:
        """On the configured host: the scheme and host:port of `base` exactly (a user@ in it is another netloc)."""
        try:
            url, home = urlsplit(self.url), urlsplit(base)
        except ValueError:
            return False
        return bool(home.netloc) and (url.scheme, url.netloc.lower()) == (home.scheme, home.netloc.lower())


def parse_message(body: object, reply_target: AibotFrame | ResponseUrl | None) -> IncomingMessage | None:
    """The message as an IncomingMessage; None for kinds the bot does not answer; ValueError when malformed.
    Total over any JSON: a field of the wrong type reads as empty."""
    if not isinstance(body, dict):
        raise ValueError("body is not a JSON object")
    if _text(body.get("msgtype")) not in ANSWERED:
        return None
    msg_id, sender = _text(body.get("msgid")), _text(_object(body.get("from")).get("userid"))
    is_group = _text(body.get("chattype")) == "group"
    chat_id = _text(body.get("chatid")) if is_group else sender
    if not msg_id or not sender or not chat_id:
        raise ValueError("msgid, from.userid and (in a group) chatid are required")
    text = _content(body)
    if text is None:
        return None   # a mixed message of pictures only
    return IncomingMessage(
        platform="wecom", msg_id=msg_id, chat_id=chat_id, sender_id=sender,
        sender_name=_text(_object(body.get("from")).get("name")),
        text=LEADING_MENTIONS.sub("", text).strip(), sent_at=_sent_at(body.get("create_time")), is_group=is_group,
        quoted_text=_content(_object(body.get("quote"))) or "", reply_target=reply_target,
    )


def _content(part: dict) -> str | None:
    """The text of a message or a quote: text.content, the text items of a mixed one, a voice's transcript."""
    kind = _text(part.get("msgtype"))
    if kind in ("text", "voice"):
        return _text(_object(part.get(kind)).get("content"))
    if kind == "mixed":
        items = _object(part.get("mixed")).get("msg_item")
        texts = [_text(_object(i.get("text")).get("content")) for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        return "\n".join(t for t in texts if t) or None
    return None


def _object(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""


def _sent_at(created: object) -> datetime:
    """create_time (seconds) where sent; else now, which is when it arrived anyway."""
    if isinstance(created, int) and not isinstance(created, bool) and 0 < created < 10**11:
        return datetime.fromtimestamp(created, timezone.utc)
    return datetime.now(timezone.utc)


def content(reply: Reply, sender_id: str = "") -> str:
    """The reply's markdown, with <@userid> for the sender (when the reply @s them) and anyone it mentions."""
    ids = ([sender_id] if reply.mention_sender and sender_id else []) + [m.user_id for m in reply.mentions if m.user_id]
    tags = " ".join(f"<@{user_id}>" for user_id in dict.fromkeys(ids))
    return _cut(reply.markdown + (f"\n{tags}" if tags else ""), MARKDOWN_BYTES)


def markdown_body(reply: Reply, sender_id: str = "") -> dict:
    """A reply to a message through its response_url (and the markdown of aibot_send_msg)."""
    return {"msgtype": "markdown", "markdown": {"content": content(reply, sender_id)}}


def stream_body(reply: Reply, stream_id: str, sender_id: str = "") -> dict:
    """A finished one-piece stream: the long connection's reply to a message (aibot_respond_msg)."""
    return {"msgtype": "stream", "stream": {"id": stream_id, "finish": True, "content": content(reply, sender_id)}}


def send_body(chat_id: str, reply: Reply) -> dict:
    """aibot_send_msg's body: a markdown message to a chat (a group's chatid, or a userid one to one)."""
    return {"chatid": chat_id, **markdown_body(reply)}


def _cut(text: str, limit: int) -> str:
    raw = text.encode("utf-8")
    return text if len(raw) <= limit else raw[:limit].decode("utf-8", "ignore")
