"""Logging for every entry point: one format, and secrets kept out.

Webhook URLs carry the robot's token, token requests carry app secrets, and libraries
(urllib3 at debug level, dingtalk-sdk on errors) log URLs. A filter on the handler
masks any secret-looking query value whatever logger the record comes from.
"""
from __future__ import annotations

import logging
import re
import sys

SECRET_QUERY = re.compile(r"(?i)\b(access_token|appsecret|corpsecret|app_secret|secret|key|sign|token|session)=([^&\s\"'<>]+)")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = SECRET_QUERY.sub(r"\1=***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time, so a swapped stream is never written after closing."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(level: str = "INFO") -> None:
    """Idempotent: replaces only the handler it added before."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(old)
    handler = _StderrHandler()
    handler.addFilter(RedactSecrets())
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("urllib3").setLevel(logging.WARNING)      # one line per request is noise
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
