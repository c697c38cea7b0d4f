"""The WeCom server API we call: access tokens (cached, refreshed early) and app text messages."""
from __future__ import annotations

import threading
import time

import requests

TOKEN_MARGIN_S = 300
EXPIRED_TOKEN_CODES = {40014, 42001}  # invalid / expired access_token: fetch a new one and retry once


class WeComApiError(Exception):
    pass


class WeComClient:
    def __init__(self, api_base: str, corp_id: str, secret: str, agent_id: str, http: requests.Session) -> None:
        self._base = api_base.rstrip("/")
        self._corp_id, self._secret, self._agent_id = corp_id, secret, agent_id
        self._http = http
        self._lock = threading.Lock()
        self._token, self._expires_at = "", 0.0

    def send_text(self, user_id: str, content: str) -> None:
        body = {"touser": user_id, "msgtype": "text", "agentid": int(self._agent_id or 0), "text": {"content": content}}
        for attempt in (1, 2):
            result = self._http.post(f"{self._base}/cgi-bin/message/send", params={"access_token": self.token()},
                                     json=body, timeout=10).json()
            if result.get("errcode") in EXPIRED_TOKEN_CODES and attempt == 1:
                self._forget_token()
                continue
            if result.get("errcode", 0) != 0:
                raise WeComApiError(f"message/send errcode {result.get('errcode')}: {result.get('errmsg')}")
            return

    def token(self) -> str:
        with self._lock:
            if not self._token or time.monotonic() >= self._expires_at:
                result = self._http.get(f"{self._base}/cgi-bin/gettoken",
                                        params={"corpid": self._corp_id, "corpsecret": self._secret}, timeout=10).json()
                if result.get("errcode", 0) != 0 or not result.get("access_token"):
                    raise WeComApiError(f"gettoken errcode {result.get('errcode')}")
                self._token = result["access_token"]
                self._expires_at = time.monotonic() + int(result.get("expires_in", 7200)) - TOKEN_MARGIN_S
            return self._token

    def _forget_token(self) -> None:
        with self._lock:
            self._token = ""
