"""The WeCom server API we call: access tokens (cached, refreshed early), app text messages and template
cards (sent one to one, updated after a tap: message/update_template_card), the app's admin list and the
contact directory."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace

import requests

from bot.messages import IncomingMessage

TOKEN_MARGIN_S = 300
ADMINS_TTL_S = 600
EXPIRED_TOKEN_CODES = {40014, 42001}  # invalid / expired access_token: fetch a new one and retry once
PASSING_CODES = {-1, 45009, 45033}     # system busy, over the call rate, too many at once: worth trying later


log = logging.getLogger(__name__)


class WeComApiError(Exception):
    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code

    @property
    def passing(self) -> bool:
        """Whether trying again later may work (a throttle or a busy server), not a refusal."""
        return self.code in PASSING_CODES


class _Token:
    """One app's access token, shared by every client of it in the process: the scheduler builds a client each
    pass, and WeCom wants a token kept for its lifetime (7200 s), not asked for each minute."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value, self.expires_at = "", 0.0


_tokens: dict[tuple[str, str, str], _Token] = {}
_tokens_lock = threading.Lock()


def _token_of(api_base: str, corp_id: str, secret: str) -> _Token:
    with _tokens_lock:
        return _tokens.setdefault((api_base, corp_id, secret), _Token())


class WeComClient:
    def __init__(self, api_base: str, corp_id: str, secret: str, agent_id: str, http: requests.Session) -> None:
        self._base = api_base.rstrip("/")
        self._corp_id, self._secret, self._agent_id = corp_id, secret, agent_id
        self._http = http
        self._token = _token_of(self._base, corp_id, secret)
        self._admins: frozenset[str] = frozenset()
        self._admins_until = 0.0

    def send_text(self, user_id: str, content: str) -> None:
        body = {"touser": user_id, "msgtype": "text", "agentid": int(self._agent_id or 0), "text": {"content": content}}
        self._call("POST", "message/send", json=body)

    def send_card(self, user_ids: tuple[str, ...], card: dict) -> dict:
        """A template card to each user, one to one; WeCom's answer (invaliduser names those it could not reach)."""
        body = {"touser": "|".join(user_ids), "msgtype": "template_card", "agentid": int(self._agent_id or 0),
                "template_card": card}
        return self._call("POST", "message/send", json=body)

    def update_card(self, response_code: str, user_ids: tuple[str, ...], card: dict) -> None:
        """Replace a sent card for these users; the response_code (a tap's, or the send's) works once, for 72 hours."""
        body = {"userids": list(user_ids), "agentid": int(self._agent_id or 0), "response_code": response_code,
                "template_card": card}
        self._call("POST", "message/update_template_card", json=body)

    def admin_ids(self) -> frozenset[str]:
        """The app's admins (agent/get_admin_list), asked at most every ten minutes."""
        if time.monotonic() >= self._admins_until:
            result = self._call("POST", "agent/get_admin_list", json={"agentid": int(self._agent_id or 0)})
            self._admins = frozenset(a["userid"] for a in result.get("admin") or () if a.get("userid"))
            self._admins_until = time.monotonic() + ADMINS_TTL_S
        return self._admins

    def directory(self) -> list[dict]:
        """Everyone under the root department: userid, name, department ids, mobile, position where visible."""
        departments = {d["id"]: d.get("name", "") for d in self._call("GET", "department/list").get("department") or ()}
        users = self._call("GET", "user/list", params={"department_id": 1, "fetch_child": 1}).get("userlist") or []
        for user in users:
            ids = [i for i in user.get("department") or () if i != 1]
            user["department_name"] = departments.get(ids[0]) if ids else None
        return users

    def _call(self, method: str, path: str, params: dict | None = None, json: dict | None = None) -> dict:
        for attempt in (1, 2):
            result = self._http.request(method, f"{self._base}/cgi-bin/{path}",
                                        params={"access_token": self.token(), **(params or {})}, json=json, timeout=10).json()
            if result.get("errcode") in EXPIRED_TOKEN_CODES and attempt == 1:
                self._forget_token()
                continue
            if result.get("errcode", 0) != 0:
                code = result.get("errcode")
                raise WeComApiError(f"{path} errcode {code}: {result.get('errmsg')}", code if isinstance(code, int) else None)
            return result
        return {}

    def token(self) -> str:
        token = self._token
        with token.lock:
            if not token.value or time.monotonic() >= token.expires_at:
                result = self._http.get(f"{self._base}/cgi-bin/gettoken",
                                        params={"corpid": self._corp_id, "corpsecret": self._secret}, timeout=10).json()
                if result.get("errcode", 0) != 0 or not result.get("access_token"):
                    raise WeComApiError(f"gettoken errcode {result.get('errcode')}")
                token.value = result["access_token"]
                token.expires_at = time.monotonic() + int(result.get("expires_in", 7200)) - TOKEN_MARGIN_S
            return token.value

    def _forget_token(self) -> None:
        with self._token.lock:
            self._token.value = ""


class WeComAdmins:
    """WeCom's messages do not say who is an admin, the app's nor the 智能机器人's: the app's admin list does
    (cached ten minutes), when the app's secret is configured (`configured`); else nobody is marked here."""

    def __init__(self, client: WeComClient, configured: bool) -> None:
        self.client, self.configured = client, configured

    def mark(self, message: IncomingMessage) -> IncomingMessage:
        if not self.configured:
            return message
        try:
            admins = self.client.admin_ids()
        except (WeComApiError, requests.RequestException, ValueError) as failed:
            log.warning("WeCom admin list unavailable: %s", type(failed).__name__)
            return message
        return replace(message, is_admin=True) if message.sender_id in admins else message
