"""Every word the bot says, in one place: chat replies, reminders, the office's page messages, the
command line's output and the errors people are shown (bot.errors.UserError).

Words are kept by area, each a module of plain constants that imports nothing:

    chat.py       answers in chat: tasks, the term, help, linking a group, progress reports
    reminders.py  reminders pushed to groups, and a group's reminder settings as the bot says them
    office.py     the office's pages: flashes, form errors, holiday and kind names; set-up rules
    plan.py       plan imports, and why a file cannot be read as a plan
    people.py     the roster, the platform directory, tallies, the exported status table
    cli.py        what `python -m bot` prints
    common.py     words every area shares

All of them are re-exported here, so a call site reads `from bot import texts` and
`texts.SPAN_TITLE`. Because they import nothing, they sit below the domain in the layers
(.importlinter), and a domain module that raises a Chinese error (bot.plan.reading, bot.schools…)
uses them like any other. format.py is different: it renders tasks, dates and rhythms
(task_line, describe_day, describe_span…) and imports the domain to do so, so it sits above the
domain and is imported by name (`from bot.texts.format import task_line`), never from here.

To add a string: put an UPPER_CASE constant in its area's module (placeholders as in str.format:
"{count} 项"), then use it as texts.NAME. Names are unique across the package (tests/test_texts.py
checks it, and that no product module outside this package holds a Chinese literal, except the
grammar the bot reads messages and plans with). A new area module must be added to the list above,
to the star imports below and to its layer in .importlinter.

The page words of the office's templates (bot/admin/templates) stay in the templates: they are
the pages themselves.
"""
from .chat import *       # noqa: F401,F403
from .cli import *        # noqa: F401,F403
from .common import *     # noqa: F401,F403
from .office import *     # noqa: F401,F403
from .people import *     # noqa: F401,F403
from .plan import *       # noqa: F401,F403
from .reminders import *  # noqa: F401,F403
