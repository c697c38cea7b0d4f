"""Logging for every entry point: one format, and secrets kept out.

Webhook URLs carry the robot's token, token requests carry app secrets, and libraries
(urllib3 at debug level, dingtalk-sdk on errors) log URLs, in messages and in the
exceptions they raise. So the handler's formatter masks the whole formatted record,
traceback included: any secret-looking query value, and every configured secret
wherever it appears.
"""
from __future__ import annotations

import logging
import re
import sys

SECRET_QUERY = re.compile(r"(?i)\b(access_token|appsecret|corpsecret|app_secret|secret|key|sign|token|session)=([^&\s\"'<>]+)")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


MIN_SECRET_CHARS = 6   # shorter values would mask ordinary words


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    text = SECRET_QUERY.sub(r"\1=***", text)
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


class RedactingFormatter(logging.Formatter):
    """Masks the record as written: message, traceback and stack alike."""

    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self.secrets = tuple(sorted({s for s in secrets if s and len(s) >= MIN_SECRET_CHARS}, key=len, reverse=True))

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time, so a swapped stream is never written after closing."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(level: str = "INFO", secrets: tuple[str, ...] = ()) -> None:
    """Idempotent: replaces only the handler it added before. secrets: values to mask wherever they appear."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(old)
    handler = _StderrHandler()
    handler.setFormatter(RedactingFormatter(FORMAT, secrets))
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("urllib3").setLevel(logging.WARNING)      # one line per request is noise
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
