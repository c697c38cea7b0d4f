"""The DingTalk server API, called with the school app's credentials: group messages from the
enterprise robot (PROTOCOLS.md §3.2), with access tokens from dingtalk-sdk.

dingtalk-sdk's AppKeyClient fetches the token (GET /gettoken?appkey&appsecret) and keeps it for
its lifetime; the token store is shared by every client in the process, so the scheduler's
passes reuse one token instead of asking for a new one each minute. The new-style API takes the
same token in the `x-acs-dingtalk-access-token` header.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, replace

import requests
from dingtalk import AppKeyClient
from dingtalk.core.exceptions import DingTalkException
from dingtalk.storage.memorystorage import MemoryStorage

from bot.config import DingTalkSettings
from bot.messages import Reply

from .dingtalk_card import card_params, deliver_body
from .robots import TIMEOUT_S, PushResult

log = logging.getLogger(__name__)
# The SDK logs failed requests with their query string, which holds the app secret.
logging.getLogger("dingtalk").setLevel(logging.CRITICAL)

_token_stores: dict[tuple[str, str, str], MemoryStorage] = {}
_stores_lock = threading.Lock()
THROTTLE_HINTS = ("qpslimit", "throttl", "flowcontrol", "ratelimit")
MARKDOWN_BYTES = 15000       # msgParam limit for groupMessages/send
READ_PAGE = 100              # readers asked for per page of groupMessages/query
MAX_READ_PAGES = 50          # 5,000 readers: more than any staff group


@dataclass(frozen=True)
class ReadAnswer:
    ok: bool
    user_ids: tuple[str, ...]          # staffIds of those who have read it
    retry: bool = False
    error: str | None = None


class DingTalkApi:
    def __init__(self, config: DingTalkSettings, http: requests.Session) -> None:
        self._config, self._http = config, http
        self._tokens = AppKeyClient("", config.app_key, config.app_secret, storage=_token_store(config), timeout=TIMEOUT_S)
        self._tokens.API_BASE_URL = config.oapi_base.rstrip("/") + "/"
        self._tokens._http = http

    @property
    def configured(self) -> bool:
        return bool(self._config.app_key and self._config.app_secret)

    @property
    def robot_code(self) -> str:
        return self._config.robot_code or self._config.app_key

    @property
    def status_cards(self) -> bool:
        """Whether reminders go as status cards (a template is configured)."""
        return self.configured and bool(self._config.status_card_template_id)

    def send_group_markdown(self, conversation_id: str, reply: Reply) -> PushResult:
        """Post to a group the robot is in. Mentions are named in the text: this API has no @ field."""
        text = _with_mentions(reply)
        body = {
            "robotCode": self.robot_code,
            "openConversationId": conversation_id,
            "msgKey": "sampleMarkdown",
            "msgParam": json.dumps({"title": reply.title, "text": text}, ensure_ascii=False),
        }
        result, answer = self._call_for("POST", "/v1.0/robot/groupMessages/send", body)
        key = answer.get("processQueryKey") if result.ok else None
        return replace(result, receipt_key=key) if isinstance(key, str) and key else result

    def read_by(self, conversation_id: str, receipt_key: str) -> ReadAnswer:
        """Who has read a group message the robot sent: POST /v1.0/robot/groupMessages/query, page by page."""
        readers: list[str] = []
        body = {"robotCode": self.robot_code, "openConversationId": conversation_id, "processQueryKey": receipt_key,
                "maxResults": READ_PAGE}
        for _ in range(MAX_READ_PAGES):
            result, answer = self._call_for("POST", "/v1.0/robot/groupMessages/query", body)
            if not result.ok:
                return ReadAnswer(False, (), result.retry, result.error)
            ids = answer.get("readUserIds")
            readers += [u for u in ids if isinstance(u, str)] if isinstance(ids, list) else []
            token = answer.get("nextToken")
            if not answer.get("hasMore") or not isinstance(token, str) or not token:
                break
            body = {**body, "nextToken": token}
        return ReadAnswer(True, tuple(readers))

    def send_status_card(self, conversation_id: str, track_id: str, reply: Reply, task_number: int, tally: str) -> PushResult:
        """The reminder as a card with 已完成 · 进行中 · 有困难, its taps called back by Stream or HTTP as configured."""
        config = self._config
        params = card_params(Reply(reply.title, _with_mentions(reply)), task_number, tally)
        callback = "STREAM" if config.mode == "stream" else "HTTP"
        at_users = {m.user_id: m.name for m in reply.mentions if m.user_id}
        return self.deliver_card(deliver_body(config.status_card_template_id, self.robot_code, conversation_id, track_id,
                                              params, callback, config.card_callback_route_key, at_users))

    def deliver_card(self, body: dict) -> PushResult:
        """Create an interactive card and put it in a group (bot/platforms/dingtalk_card.py builds the body)."""
        return self._call("POST", "/v1.0/card/instances/createAndDeliver", body)

    def update_card(self, body: dict) -> PushResult:
        """Change a delivered card's data in place."""
        return self._call("PUT", "/v1.0/card/instances", body)

    def _call(self, method: str, path: str, body: dict) -> PushResult:
        return self._call_for(method, path, body)[0]

    def _call_for(self, method: str, path: str, body: dict) -> tuple[PushResult, dict]:
        """One new-style API call with the access token, and the answer's JSON ({} when none);
        a refused token is fetched anew once."""
        for attempt in (1, 2):
            try:
                token = self._tokens.access_token
                response = self._http.request(method, f"{self._config.api_base.rstrip('/')}{path}", json=body,
                                              headers={"x-acs-dingtalk-access-token": token}, timeout=TIMEOUT_S)
            except requests.RequestException as exc:
                return PushResult(False, retry=True, error=type(exc).__name__), {}
            except DingTalkException as exc:   # the token request itself was refused
                return PushResult(False, retry=True, error=f"gettoken errcode {getattr(exc, 'errcode', '?')}"), {}
            if response.status_code == 401 and attempt == 1:   # token revoked or expired early: fetch anew once
                self._tokens.cache.access_token.delete()
                continue
            return _result(response), _json(response)
        return PushResult(False, retry=True, error="access token refused twice"), {}


def _with_mentions(reply: Reply) -> str:
    if not reply.mentions:
        return reply.markdown
    return reply.markdown + "\n\n" + " ".join(f"@{m.name}" for m in reply.mentions)


def _token_store(config: DingTalkSettings) -> MemoryStorage:
    """One store per server and credentials, kept for the life of the process."""
    key = (config.oapi_base, config.app_key, hashlib.sha256(config.app_secret.encode()).hexdigest())
    with _stores_lock:
        return _token_stores.setdefault(key, MemoryStorage())


def _json(response: requests.Response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _result(response: requests.Response) -> PushResult:
    if response.ok:
        return PushResult(True)
    answer = _json(response)
    code = str(answer.get("code", ""))
    error = f"HTTP {response.status_code} {code}: {str(answer.get('message', ''))[:100]}".strip()
    throttled = response.status_code == 429 or any(hint in code.lower() for hint in THROTTLE_HINTS)
    return PushResult(False, retry=throttled or response.status_code >= 500, error=error)


@dataclass(frozen=True)
class DirectoryPerson:
    user_id: str
    name: str
    mobile: str | None
    department: str | None
    position: str


def dingtalk_directory(config: DingTalkSettings, http: requests.Session) -> list[DirectoryPerson]:
    """Everyone in the organisation the app may see, through dingtalk-sdk's contact APIs
    (/department/list, /user/list page by page). Raises DingTalkException when refused."""
    client = DingTalkApi(config, http)._tokens
    departments = {1: ""} | {d["id"]: d.get("name", "") for d in client.department.list(fetch_child=True)}
    found: dict[str, DirectoryPerson] = {}
    for department_id, department_name in departments.items():
        offset = 0
        while True:
            page = client.user.list(department_id, offset=offset, size=100)
            for user in page.get("userlist") or ():
                if user.get("userid") and user["userid"] not in found:
                    found[user["userid"]] = DirectoryPerson(user["userid"], user.get("name") or user["userid"],
                                                            user.get("mobile") or None, department_name or None,
                                                            user.get("position") or "")
            if not page.get("hasMore"):
                break
            offset += 100
    return list(found.values())
