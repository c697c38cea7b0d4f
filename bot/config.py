"""One typed, frozen settings object, loaded once from YAML and the environment.

Every leaf key can be overridden by an environment variable named
SCHOOLBOT_<PATH> with dots turned into underscores, e.g. `database.url` is
SCHOOLBOT_DATABASE_URL and `school.terms` is SCHOOLBOT_SCHOOL_TERMS (a YAML or
JSON value). Environment values are parsed as YAML so numbers and lists work.
"""
from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.errors import UserError
from storage.school_calendar import Term

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "SCHOOLBOT"
CONFIG_ENV = "SCHOOLBOT_CONFIG"
DEFAULT_SCHOOL_NAME = "示例学校"   # until config.yaml names the school (the set-up page asks for the real name)


class ConfigError(UserError, ValueError):
    """The configuration file or an override is invalid; the message (for the IT person) says which key."""


# The keys a config may give a value type; a term's days off and its edited mark are the office's.
CONFIG_KEYS = {Term: ("name", "start", "end")}


@dataclass(frozen=True)
class DatabaseSettings:
    # Relative SQLite paths are taken from the project root, so the bot finds
    # the same file whatever directory it is started from.
    url: str = "sqlite:///data/schoolbot.db"

    def resolved_url(self) -> str:
        prefix = "sqlite:///"
        path = self.url[len(prefix):] if self.url.startswith(prefix) else None
        if not path or path.startswith("/") or path == ":memory:" or Path(path).is_absolute():
            return self.url
        return prefix + str(PROJECT_ROOT / path)


@dataclass(frozen=True)
class SchoolSettings:
    name: str = DEFAULT_SCHOOL_NAME
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class PlanSettings:
    # Plans are a few hundred KB; anything far larger is a wrong file.
    max_file_mb: int = 20


@dataclass(frozen=True)
class DingTalkSettings:
    app_key: str = ""
    app_secret: str = ""          # signs callbacks; keep it in SCHOOLBOT_DINGTALK_APP_SECRET
    robot_code: str = ""          # the enterprise robot's code; empty means the app key (the usual case)
    mode: str = "webhook"         # webhook (HTTP callback) or stream (no public address needed)
    api_base: str = "https://api.dingtalk.com"
    oapi_base: str = "https://oapi.dingtalk.com"   # the older server API: access tokens, the directory
    # Replies go to the sessionWebhook a callback names; only URLs under this base are trusted.
    session_webhook_base: str = "https://oapi.dingtalk.com"
    # The status card's template id (卡片平台): deadline reminders and chases then carry 已完成 · 进行中 · 有困难.
    status_card_template_id: str = ""
    # HTTP mode only: the route key registered for https://YOUR-HOST/dingtalk/card/callback (callbacks/register).
    card_callback_route_key: str = ""


@dataclass(frozen=True)
class WeComSettings:
    corp_id: str = ""
    agent_id: str = ""
    secret: str = ""
    token: str = ""
    encoding_aes_key: str = ""    # 43 characters, from the app's 接收消息 page
    api_base: str = "https://qyapi.weixin.qq.com"
    # The app also sends deadline reminders and chases one to one, as cards with status buttons, to the
    # task's owners who have a WeCom userid in the roster (a "group" of its own on the office's pages).
    private_reminders: bool = False

    @property
    def app_can_send(self) -> bool:
        """Whether the app can push: message/send needs the corp, the app's secret and its agent id."""
        return bool(self.corp_id and self.secret and self.agent_id)


@dataclass(frozen=True)
class WeComBotSettings:
    """The WeCom 智能机器人 (AI bot) that teachers @ in their groups; one-to-one chats reach it too."""
    bot_id: str = ""              # the robot's Bot ID (websocket mode)
    secret: str = ""              # the long connection's Secret; keep it in SCHOOLBOT_WECOM_BOT_SECRET
    mode: str = "websocket"       # websocket (the bot dials out, no public address) or webhook (WeCom POSTs to us)
    ws_url: str = "wss://openws.work.weixin.qq.com"
    # Webhook mode: the robot's API-mode URL is https://YOUR-HOST/wecom/bot/callback, with this Token and key.
    token: str = ""               # SCHOOLBOT_WECOM_BOT_TOKEN
    encoding_aes_key: str = ""    # 43 characters; SCHOOLBOT_WECOM_BOT_ENCODING_AES_KEY
    # Webhook mode answers through each message's response_url; only URLs on this host are used.
    response_url_base: str = "https://qyapi.weixin.qq.com"

    @property
    def long_connection(self) -> bool:
        """Whether the bot dials out (mode websocket, with a bot id): then it can also post into its groups itself."""
        return self.mode == "websocket" and bool(self.bot_id)


@dataclass(frozen=True)
class AdminWebSettings:
    """The office's pages under /admin. Without both keys set the pages say how to set them."""
    # A werkzeug hash of the password (python -m bot admin hash-password); never the password itself.
    password_hash: str = ""
    secret_key: str = ""          # signs session cookies: a long random string, the same for every worker
    secure_cookies: bool = False  # true when the pages are served over HTTPS
    max_upload_mb: int = 20


@dataclass(frozen=True)
class RobotGroup:
    """A teacher group the bot pushes reminders to, through the group's robot webhook."""
    name: str
    platform: str                 # dingtalk or wecom
    webhook: str                  # the robot's URL (a secret: it carries the robot's token)
    secret: str = ""              # DingTalk's signing secret (SEC…), when the robot uses 加签


@dataclass(frozen=True)
class Settings:
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    timezone: str = "Asia/Shanghai"
    log_level: str = "INFO"       # DEBUG, INFO, WARNING or ERROR
    school: SchoolSettings = field(default_factory=SchoolSettings)
    plan: PlanSettings = field(default_factory=PlanSettings)
    dingtalk: DingTalkSettings = field(default_factory=DingTalkSettings)
    wecom: WeComSettings = field(default_factory=WeComSettings)
    wecom_bot: WeComBotSettings = field(default_factory=WeComBotSettings)
    admin_web: AdminWebSettings = field(default_factory=AdminWebSettings)
    # Platform user ids (DingTalk staffId, WeCom userid) allowed admin commands, besides platform admins.
    admins: tuple[str, ...] = ()
    groups: tuple[RobotGroup, ...] = ()
    # The robot group (one of `groups`) told when another group's robot keeps failing.
    admin_group: str = ""
    # A stable name for this scheduler instance: restarted under the same name it resumes its own
    # lease at once; by default host:pid, and a crashed holder's lease lapses within three minutes.
    scheduler_id: str = ""
    # Days off beyond the national calendar (school-specific, or a year chinese-calendar does not know yet).
    holidays: tuple[date, ...] = ()
    # An inbound message whose work has not finished this long after it began is taken to have died
    # with its process, and is answered again by another (at most this late after a kill -9).
    inbox_lease_seconds: int = 60
    # How far below the callbacks the answering threads run (Linux nice, added per thread; 0 to keep them level).
    reply_niceness: int = 10

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def secret_values(self) -> tuple[str, ...]:
        """Every configured secret, for the log formatter to mask wherever it appears."""
        values = [self.dingtalk.app_secret, self.wecom.secret, self.wecom.token, self.wecom.encoding_aes_key,
                  self.wecom_bot.secret, self.wecom_bot.token, self.wecom_bot.encoding_aes_key,
                  self.admin_web.password_hash, self.admin_web.secret_key]
        for group in self.groups:
            values += [group.webhook, group.secret]
        return tuple(v for v in values if v)


def load_settings(path: str | os.PathLike | None = None, environ: typing.Mapping[str, str] | None = None) -> Settings:
    """Read the YAML file (explicit path, $SCHOOLBOT_CONFIG, ./config.yaml, or none) and the environment."""
    environ = os.environ if environ is None else environ
    data = _read_yaml(_config_path(path, environ))
    _apply_environment(data, Settings, (), environ)
    settings = _build(Settings, data, "")
    _validate(settings)
    return settings


def _config_path(path, environ) -> Path | None:
    if path:
        return Path(path)
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    default = PROJECT_ROOT / "config.yaml"
    return default if default.exists() else None


def _read_yaml(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from exc
    except ValueError as exc:  # PyYAML builds dates while parsing: 2026-13-01 fails here
        raise ConfigError(f"config file {path} has an invalid value: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must contain a mapping at the top level")
    return data


def _apply_environment(data: dict, cls, path: tuple[str, ...], environ) -> None:
    for f in dataclasses.fields(cls):
        key_path = path + (f.name,)
        hint = typing.get_type_hints(cls)[f.name]
        if dataclasses.is_dataclass(hint):
            child = data.setdefault(f.name, {})
            if isinstance(child, dict):
                _apply_environment(child, hint, key_path, environ)
            continue
        env_name = "_".join((ENV_PREFIX, *key_path)).upper()
        if env_name in environ:
            raw = environ[env_name]
            try:
                data[f.name] = yaml.safe_load(raw) if hint is not str else raw
            except yaml.YAMLError as exc:
                raise ConfigError(f"{env_name} is not a valid value: {exc}") from exc


def _build(cls, data, where: str):
    if not isinstance(data, dict):
        raise ConfigError(f"{where or 'config'} must be a mapping")
    hints = typing.get_type_hints(cls)
    names = set(CONFIG_KEYS.get(cls) or (f.name for f in dataclasses.fields(cls)))
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigError(f"unknown config key {_join(where, unknown[0])}")
    values = {name: _convert(hints[name], data[name], _join(where, name)) for name in names if name in data}
    return cls(**values)


def _convert(hint, value, where: str):
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, where)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        inner = next(a for a in typing.get_args(hint) if a is not type(None))
        return _convert(inner, value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"{where} must be a list")
        inner = typing.get_args(hint)[0]
        return tuple(_convert(inner, item, f"{where}[{i}]") for i, item in enumerate(value))
    if hint is date:
        return _to_date(value, where)
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is str and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise ConfigError(f"{where} must be {getattr(hint, '__name__', hint)}, got {value!r}")


def _to_date(value, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where} must be a date like 2026-09-01, got {value!r}") from exc


def _validate(settings: Settings) -> None:
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"timezone {settings.timezone!r} is not a known time zone") from exc
    for term in settings.school.terms:
        if term.end < term.start:
            raise ConfigError(f"term {term.name!r} ends before it starts")
    if settings.plan.max_file_mb <= 0:
        raise ConfigError("plan.max_file_mb must be positive")
    if settings.inbox_lease_seconds < 1:
        raise ConfigError("inbox_lease_seconds must be at least 1")
    if not 0 <= settings.reply_niceness <= 19:
        raise ConfigError("reply_niceness must be between 0 and 19")
    if settings.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"log_level must be DEBUG, INFO, WARNING or ERROR, got {settings.log_level!r}")
    if settings.dingtalk.mode not in ("webhook", "stream"):
        raise ConfigError(f"dingtalk.mode must be webhook or stream, got {settings.dingtalk.mode!r}")
    for group in settings.groups:
        if group.platform not in ("dingtalk", "wecom"):
            raise ConfigError(f"group {group.name!r}: platform must be dingtalk or wecom")
        if not group.webhook.startswith(("https://", "http://")):
            raise ConfigError(f"group {group.name!r}: webhook must be the robot's URL")
    if settings.admin_group and settings.admin_group not in {g.name for g in settings.groups}:
        raise ConfigError(f"admin_group {settings.admin_group!r} is not one of the configured groups")
    key = settings.wecom.encoding_aes_key
    if key and len(key) != 43:
        raise ConfigError("wecom.encoding_aes_key must be the 43 characters WeCom shows")
    _validate_wecom_bot(settings.wecom_bot)


def _validate_wecom_bot(bot: WeComBotSettings) -> None:
    if bot.mode not in ("websocket", "webhook"):
        raise ConfigError(f"wecom_bot.mode must be websocket or webhook, got {bot.mode!r}")
    key = bot.encoding_aes_key
    if (key or (bot.mode == "webhook" and bot.token)) and len(key) != 43:
        raise ConfigError("wecom_bot.encoding_aes_key must be the 43 characters the robot's API settings show")


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
