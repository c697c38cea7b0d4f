"""Chat handlers: plain functions `(intent, message, context) -> Reply`, chosen by intent.

They know nothing of HTTP or of a platform.
"""
from .admin import answer_link
from .help import answer_help
from .reminder_settings import answer_settings
from .status import answer_mine, answer_status
from .tasks import answer_query, answer_unrecognised

HANDLERS = {
    "query": answer_query,
    "help": answer_help,
    "report": answer_status,
    "progress": answer_status,
    "mine": answer_mine,
    "link": answer_link,
    "settings": answer_settings,
    "unknown": answer_unrecognised,
}
