"""Understanding chat messages: text and today in, an intent out. Pure: no clock, no database."""
from .intents import Help, Intent, Link, Mine, Progress, Query, Report, Settings, Unknown, parse
from .questions import Ask
from .reports import ReportStatus

__all__ = ["Ask", "Help", "Intent", "Link", "Mine", "Progress", "Query", "Report", "ReportStatus", "Settings", "Unknown",
           "parse"]
