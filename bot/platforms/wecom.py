"""WeCom self-built app: the encrypted XML callback, turned into IncomingMessage, and replies back;
the status cards it sends one to one, and the taps on them (template_card_event).

Passive replies and app text messages are plain text (at most 2048 bytes), so
our markdown is flattened. XML with a DOCTYPE is refused before parsing: WeCom
never sends one, and entity tricks are the classic XML attack.

A tap's event has no MsgId; its ResponseCode is new for every tap and the same when WeCom
redelivers it, so it names the tap (hashed, for the inbox's message id). Who tapped is
FromUserName, never the button's key. (developer.work.weixin.qq.com/document/path/90240, 94888)
"""
from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from bot import texts
from bot.messages import IncomingMessage, Reply

from .wecom_cards import KEY, TEMPLATE_CARD_EVENT, card_id, status_card
from .wecom_crypto import WeComCrypto

REPLY_BYTES = 2000
MAX_SKEW_S = 600  # WeCom retries within seconds; an older signed request is a replay
MARKDOWN_MARKS = re.compile(r"^#{1,6}\s*|\*\*", re.MULTILINE)


def _xml(text: str | bytes) -> ET.Element:
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    if "<!DOCTYPE" in raw.upper() or "<!ENTITY" in raw.upper():
        raise ValueError("XML with a DOCTYPE is not accepted")
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from exc


def encrypted_part(body: bytes) -> str:
    encrypted = _xml(body).findtext("Encrypt")
    if not encrypted:
        raise ValueError("no Encrypt element")
    return encrypted.strip()


def check_fresh(timestamp: str, now_s: int) -> None:
    if not timestamp.isdigit() or abs(now_s - int(timestamp)) > MAX_SKEW_S:
        raise ValueError("stale or missing timestamp")


def parse_message(plain_xml: str) -> IncomingMessage | None:
    """The decrypted message; None for events (enter_agent…) and other things we do not answer."""
    root = _xml(plain_xml)
    kind = root.findtext("MsgType") or ""
    if kind != "text":
        return None
    sender, msg_id = root.findtext("FromUserName") or "", root.findtext("MsgId") or ""
    if not sender or not msg_id:
        raise ValueError("FromUserName and MsgId are required")
    return _one_to_one(root, sender, msg_id, (root.findtext("Content") or "").strip())


@dataclass(frozen=True)
class AppTap:
    """A tap on a status card the app sent: the chat message it stands for, and how to update the card."""
    message: IncomingMessage
    response_code: str     # lets us replace the tapper's card once (message/update_template_card)
    card_id: str           # the card's task_id
    number: int            # the task's


def parse_tap(plain_xml: str) -> AppTap | None:
    """A status button's tap; None for any other message, event or key (the callback's other kinds)."""
    root = _xml(plain_xml)
    if root.findtext("MsgType") != "event" or root.findtext("Event") != TEMPLATE_CARD_EVENT:
        return None
    key = KEY.match((root.findtext("EventKey") or "").strip())
    if key is None:
        return None
    sender, code = (root.findtext("FromUserName") or "").strip(), (root.findtext("ResponseCode") or "").strip()
    if not sender or not code:
        raise ValueError("FromUserName and ResponseCode are required")
    number, state = int(key.group(1)), key.group(2)
    message = _one_to_one(root, sender, "card:" + hashlib.sha256(code.encode()).hexdigest()[:40],
                          f"{texts.STATUS_VERBS[state]} {number}")
    return AppTap(message, code, (root.findtext("TaskId") or "").strip(), number)


def _one_to_one(root: ET.Element, sender: str, msg_id: str, text: str) -> IncomingMessage:
    created = root.findtext("CreateTime") or ""
    sent_at = datetime.fromtimestamp(int(created), timezone.utc) if created.isdigit() and len(created) <= 11 else datetime.now(timezone.utc)
    return IncomingMessage(platform="wecom", msg_id=msg_id, chat_id=f"user:{sender}", sender_id=sender, sender_name=sender,
                           text=text, sent_at=sent_at, is_group=False, reply_target=root.findtext("ToUserName") or "")


def app_status_card(reply: Reply, number: int, card: str) -> dict:
    """The app's button_interaction card for task `number`: the reminder's (or the tap's answer's) words, flattened."""
    return status_card(replace(reply, markdown=plain_text(reply.markdown)), number, card)


def app_card_id(number: int, delivery_id: int) -> str:
    """Unique within the app, as WeCom requires: one card per ledger row."""
    return card_id(number, f"d{delivery_id}")


def plain_text(markdown: str) -> str:
    return MARKDOWN_MARKS.sub("", markdown)


def reply_xml(reply: Reply, message: IncomingMessage, corp_id: str, now_s: int) -> str:
    return (
        f"<xml><ToUserName>{_cdata(message.sender_id)}</ToUserName><FromUserName>{_cdata(corp_id)}</FromUserName>"
        f"<CreateTime>{now_s}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{_cdata(plain_text(reply.markdown))}</Content></xml>"
    )


def envelope_values(crypto: WeComCrypto, xml: str, timestamp: str, nonce: str, random16: bytes | None = None) -> tuple[str, str]:
    encrypted = crypto.encrypt(xml, random16)
    return encrypted, crypto.signature(timestamp, nonce, encrypted)


def envelope(crypto: WeComCrypto, xml: str, timestamp: str, nonce: str) -> str:
    encrypted, signature = envelope_values(crypto, xml, timestamp, nonce)
    return (
        f"<xml><Encrypt>{_cdata(encrypted)}</Encrypt><MsgSignature>{_cdata(signature)}</MsgSignature>"
        f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{_cdata(nonce)}</Nonce></xml>"
    )


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
