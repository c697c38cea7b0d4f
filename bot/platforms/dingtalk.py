"""DingTalk enterprise robot: callback signatures, message parsing, reply bodies.

Callback signature (DingTalk 接收消息 doc): sign = Base64(HmacSHA256(appSecret,
timestamp + "\\n" + appSecret)); the timestamp is in milliseconds and a request
more than an hour off is invalid. See ../shared/PROTOCOLS.md §1.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import math
from datetime import datetime, timezone
from urllib.parse import urlsplit

from bot.messages import IncomingMessage, Reply

MAX_SKEW_MS = 60 * 60 * 1000
REPLY_BYTES = 3800  # markdown replies through a sessionWebhook stay well under DingTalk's limit


class CallbackRejected(Exception):
    """A callback that must not be processed; status is the HTTP code to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def sign(timestamp: str, secret: str) -> str:
    """DingTalk's HMAC-SHA256 signature, the same for callbacks (app secret) and custom robots' 加签 (robot secret)."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(timestamp: str | None, signature: str | None, secret: str, now_ms: int) -> None:
    """Raise CallbackRejected unless the request is fresh and signed with our app secret."""
    if not secret:
        raise CallbackRejected(403, "dingtalk.app_secret is not configured")
    if not timestamp or not signature:
        raise CallbackRejected(401, "missing timestamp or sign header")
    try:
        sent_ms = int(timestamp)
    except ValueError as exc:
        raise CallbackRejected(401, "timestamp is not a number") from exc
    if abs(now_ms - sent_ms) > MAX_SKEW_MS:
        raise CallbackRejected(401, "stale timestamp")
    if not hmac.compare_digest(sign(timestamp, secret).encode(), signature.encode()):
        raise CallbackRejected(403, "wrong sign")


def parse_message(body: object) -> IncomingMessage:
    """The callback JSON as an IncomingMessage; ValueError when it is not a robot message.
    Total over any JSON: a field of the wrong type reads as empty, never as an exception."""
    if not isinstance(body, dict):
        raise ValueError("body is not a JSON object")
    msg_id, chat_id = _text(body.get("msgId")), _text(body.get("conversationId"))
    if not msg_id or not chat_id:
        raise ValueError("msgId and conversationId are required")
    text = body.get("text") if isinstance(body.get("text"), dict) else {}
    return IncomingMessage(
        platform="dingtalk",
        msg_id=msg_id,
        chat_id=chat_id,
        sender_id=_text(body.get("senderStaffId")) or _text(body.get("senderId")),
        sender_name=_text(body.get("senderNick")),
        text=_text(text.get("content")).strip() if body.get("msgtype", "text") == "text" else "",
        sent_at=_sent_at(body.get("createAt")),
        is_group=_text(body.get("conversationType")) == "2",
        is_admin=body.get("isAdmin") is True,
        chat_name=_text(body.get("conversationTitle")),
        quoted_text=_quoted(text),
        mentioned_user_ids=_mentioned(body.get("atUsers")),
        reply_target=SessionWebhook(_text(body.get("sessionWebhook")), _expiry(body.get("sessionWebhookExpiredTime"))),
    )


def _text(value: object) -> str:
    """A string field: strings as sent, whole numbers as their digits (an id sent as 7), anything else empty.
    str() of a list or a 900-deep dict would be slow, recursive and meaningless."""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""


def _expiry(value: object) -> int:
    """sessionWebhookExpiredTime (ms); 0, meaning "not said", for anything that is not a finite whole number
    (1e400 parses as infinity, and int(inf) raises)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return 0
    if isinstance(value, str):
        return int(value) if value.isascii() and value.isdigit() and len(value) <= 19 else 0
    return int(value) if math.isfinite(value) and value > 0 else 0


def _mentioned(at_users: object) -> tuple[str, ...]:
    if not isinstance(at_users, list):
        return ()
    return tuple(staff for u in at_users if isinstance(u, dict) and (staff := _text(u.get("staffId"))))


def _quoted(text: dict) -> str:
    """A quoted reply (引用回复): text.isReplyMsg with text.repliedMsg, whose content is plain text or
    rich text. Not in DingTalk's field table, but what its clients send; anything else reads as no quote."""
    replied = text.get("repliedMsg")
    if text.get("isReplyMsg") is not True or not isinstance(replied, dict):
        return ""
    content = replied.get("content")
    if isinstance(content, str):
        return content
    if not isinstance(content, dict):
        return ""
    rich = content.get("richText") if isinstance(content.get("richText"), list) else []
    parts = [content.get("text"), content.get("title"), content.get("markdown")]
    parts += [item.get("text") for item in rich if isinstance(item, dict)]
    return "\n".join(p for p in parts if isinstance(p, str) and p)


def _sent_at(created: object) -> datetime:
    """createAt (ms); a missing or absurd value means now, which is when we received it anyway."""
    if isinstance(created, (int, float)) and not isinstance(created, bool) and created > 0:
        try:
            return datetime.fromtimestamp(created / 1000, timezone.utc)
        except (ValueError, OverflowError, OSError):
            pass
    return datetime.now(timezone.utc)


class SessionWebhook:
    """Where to answer one message: DingTalk's per-message reply URL and when it expires (ms)."""

    def __init__(self, url: str, expires_ms: int) -> None:
        self.url, self.expires_ms = url, expires_ms

    def usable(self, trusted_base: str, now_ms: int) -> bool:
        """Under the trusted base, segment by segment: "…/sendBySessionEVIL" is not under "…/sendBySession",
        and no "..", "." or encoded separator may climb out of it."""
        url, base = urlsplit(self.url), urlsplit(trusted_base)
        if not self.url or (url.scheme, url.netloc.lower()) != (base.scheme, base.netloc.lower()) or url.username or url.password:
            return False
        path, prefix = _segments(url.path), _segments(base.path)
        if path is None or prefix is None or path[:len(prefix)] != prefix:
            return False
        return not self.expires_ms or self.expires_ms > now_ms


def _segments(path: str) -> list[str] | None:
    """The path's segments, or None when one could climb or mean something else once decoded ("..", "%2e", "\\")."""
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or "%" in p or "\\" in p for p in parts):
        return None
    return parts


def reply_body(reply: Reply, message: IncomingMessage) -> dict:
    body = {"msgtype": "markdown", "markdown": {"title": reply.title, "text": reply.markdown}}
    if reply.mention_sender and message.sender_id:
        body["at"] = {"atUserIds": [message.sender_id]}
    return body
