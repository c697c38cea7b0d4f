"""Understanding chat messages: text and today in, an intent out. Pure: no clock, no database."""
from .intents import Intent, parse

__all__ = ["Intent", "parse"]
