"""Errors a person can act on. Each carries a Chinese message for the office staff (bot.texts)."""
from bot.errors import UserError


class PlanReadError(UserError):
    """The file cannot be read as a plan. str() is a one-line Chinese explanation."""
