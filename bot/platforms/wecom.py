"""WeCom self-built app: the encrypted XML callback, turned into IncomingMessage, and replies back.

Passive replies and app text messages are plain text (at most 2048 bytes), so
our markdown is flattened. XML with a DOCTYPE is refused before parsing: WeCom
never sends one, and entity tricks are the classic XML attack.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from bot.messages import IncomingMessage, Reply

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
    created = root.findtext("CreateTime") or ""
    sent_at = datetime.fromtimestamp(int(created), timezone.utc) if created.isdigit() and len(created) <= 11 else datetime.now(timezone.utc)
    return IncomingMessage(
        platform="wecom", msg_id=msg_id, chat_id=f"user:{sender}", sender_id=sender, sender_name=sender,
        text=(root.findtext("Content") or "").strip(), sent_at=sent_at, is_group=False,
        reply_target=root.findtext("ToUserName") or "",
    )


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
