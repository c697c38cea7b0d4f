"""Pushing to group robot webhooks: DingTalk custom robots (optionally signed, 加签) and WeCom group robots.

DingTalk 加签: the callback's signature (dingtalk.sign), URL-encoded and added with the
millisecond timestamp to the webhook's query (PROTOCOLS.md §3.1).
Both platforms allow a robot about 20 messages a minute and answer 130101 (DingTalk)
or 45009 (WeCom) beyond that.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus

import requests

from bot.messages import Reply
from bot.platforms.dingtalk import sign

THROTTLED = {130101, 45009}
TIMEOUT_S = 10


@dataclass(frozen=True)
class PushResult:
    ok: bool
    retry: bool = False      # throttled, 5xx or no answer: try again later
    error: str | None = None
    receipt_key: str | None = None   # DingTalk's processQueryKey: how to ask later who has read it


def signed_url(webhook: str, secret: str | None, now_ms: int) -> str:
    if not secret:
        return webhook
    separator = "&" if "?" in webhook else "?"
    return f"{webhook}{separator}timestamp={now_ms}&sign={quote_plus(sign(str(now_ms), secret))}"


def body(platform: str, reply: Reply) -> dict:
    """DingTalk @s by mobile or user id and highlights "@mobile" in the text; WeCom markdown uses <@userid>."""
    if platform == "dingtalk":
        mobiles = [m.mobile for m in reply.mentions if m.mobile]
        user_ids = [m.user_id for m in reply.mentions if m.user_id and not m.mobile]
        text = reply.markdown
        if mobiles or user_ids:
            text += "\n\n" + " ".join([f"@{m}" for m in mobiles] + [f"@{u}" for u in user_ids])
        return {"msgtype": "markdown", "markdown": {"title": reply.title, "text": text},
                "at": {"atMobiles": mobiles, "atUserIds": user_ids, "isAtAll": False}}
    tags = " ".join(f"<@{m.user_id}>" for m in reply.mentions if m.user_id)
    return {"msgtype": "markdown", "markdown": {"content": reply.markdown + (f"\n{tags}" if tags else "")}}


def push(http: requests.Session, platform: str, webhook: str, secret: str | None, reply: Reply, now_ms: int) -> PushResult:
    try:
        response = http.post(signed_url(webhook, secret, now_ms), json=body(platform, reply), timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        return PushResult(False, retry=True, error=type(exc).__name__)
    if response.status_code >= 500:
        return PushResult(False, retry=True, error=f"HTTP {response.status_code}")
    try:
        result = response.json()
    except ValueError:
        return PushResult(False, retry=True, error=f"HTTP {response.status_code}, not JSON")
    code = result.get("errcode", 0)
    if code == 0:
        return PushResult(True)
    return PushResult(False, retry=code in THROTTLED, error=f"errcode {code}: {str(result.get('errmsg', ''))[:100]}")
