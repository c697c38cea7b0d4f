"""The one base class for errors a person caused and can put right: a file that is not a plan, a roster
row without a name, a term that ends before it starts, a config key misspelt.

str() of a UserError is the message shown to that person as is: Chinese (from bot.texts) for the
office and the teachers; for the config, the IT person's English. The command line prints it and
exits 1 (bot.cli_common), the office's pages show it on the page (bot.admin.refusals); neither
shows a traceback. Anything else that escapes is a bug.

This module sits in the lowest layer of bot, so bot.config and the domain can raise its
subclasses. storage cannot import it: storage raises plain errors without words (NameTaken,
TermNameTaken, TaskGone), which the use case above it turns into a UserError in Chinese.
"""
from __future__ import annotations


class UserError(Exception):
    """Something a person gave that the bot cannot take; str() is the message for them."""
