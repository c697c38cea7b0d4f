"""Every word the bot says is in bot/texts/: no product module outside it holds a Chinese string
(docstrings and comments aside), except the grammar the bot reads plans and messages with, listed
below with the reason. A UserError reaches the person as its message: on the command line after
错误： with exit code 1, on the office's pages on the page."""
from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from werkzeug.security import generate_password_hash

import bot.cli_common
from bot import texts
from bot.app import create_app
from bot.cli import cli
from bot.cli_common import CommandGroup
from bot.config import AdminWebSettings, SchoolSettings, Settings, Term
from bot.errors import UserError
from tests.conftest import ROOT

PRODUCT = ("bot", "handlers", "storage")
CHINESE = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”]")

# Modules that are grammar through and through: what they hold is what the bot reads.
GRAMMAR_MODULES = {
    "bot/plan/timewords.py": "the time words plans are written with",
    "bot/plan/calendar_grid.py": "month names and day cells of a calendar-grid plan",
    "bot/plan/calendar_rows.py": "row labels and separators of a calendar-row plan",
    "bot/plan/extract.py": "dates as plans write them",
    "bot/plan/layout.py": "week labels in a plan's layout",
    "bot/plan/not_items.py": "lines of a plan that are not items (headings, bylines)",
    "bot/plan/owners.py": "departments, subjects and grades a plan names as owners, joined as it writes them",
    "bot/plan/prose.py": "clause boundaries and the words of a plan's prose",
    "bot/plan/schoolyear.py": "school years and terms as plans write them (its label writes one back the same way)",
    "bot/plan/scopes.py": "week and section words that scope a plan's items",
    "bot/plan/sections.py": "section numbering and headings of a plan",
    "bot/plan/tables.py": "column headers and cells of a plan's tables",
    "bot/plan/titles.py": "the words trimmed from an item to make its title",
    "bot/plan/unread.py": "bylines whose dates are no task",
    "bot/timegrammar/lexicon.py": "the time phrases of messages and plans",
    "bot/understanding/intents.py": "how teachers ask for help, their tasks, settings, a school",
    "bot/understanding/questions.py": "question words and chatter in messages",
    "bot/understanding/reports.py": "how teachers report progress",
    "bot/understanding/spans.py": "day, week and month phrases in messages",
    "bot/understanding/topics.py": "topic families a question may mean",
    "bot/people/roles.py": "role, subject and grade names as rosters and plans write them",
}

# Module-level constants elsewhere that hold grammar (or, two of them, data): (module, name) -> reason.
GRAMMAR_NAMES = {
    ("bot/people/roster.py", "COLUMNS"): "the roster's header words it reads",
    ("bot/people/roster.py", "HEADER_NOISE"): "full-width brackets ignored in a header",
    ("bot/people/roster.py", "YES"): "how a roster marks an admin",
    ("bot/reminder_rules/setting_words.py", "LABELS"): "the setting names admins type",
    ("bot/reminder_rules/setting_words.py", "ON"): "how admins say on",
    ("bot/reminder_rules/setting_words.py", "OFF"): "how admins say off",
    ("bot/reminder_rules/setting_words.py", "CLOCK"): "times as admins type them (7点半)",
    ("bot/reminder_rules/setting_words.py", "DAYS"): "days before a deadline as admins type them",
    ("bot/reminder_rules/setting_words.py", "SEPARATORS"): "full-width punctuation between settings",
    ("bot/task_dates.py", "DELIVERABLE"): "verbs in a title that make a task something to hand in",
    ("handlers/tasks.py", "BARE_WORDS"): "a message that is only a few words",
    ("bot/office_setup.py", "CODE_NOISE"): "full-width dashes typed within the set-up code",
    ("bot/office_setup.py", "DAY"): "a day off's date as the office types it",
    ("bot/office_setup.py", "DAYS_OFF_LINE"): "a line of days off as the office types it",
    ("bot/plan/read_docx.py", "HEADING_STYLES"): "the heading style's name in Chinese Word",
    ("bot/plan/read_xlsx.py", "DEFAULT_SHEET_NAME"): "the sheet name Chinese Excel gives a new sheet",
    ("bot/plan/read_text.py", "PIPE_CELLS"): "the full-width bar between pasted cells",
    ("bot/plan/read_text.py", "SPACES"): "the full-width space between pasted cells",
    ("bot/plan/read_text.py", "PIPE_ROW"): "the full-width bar between pasted cells",
    ("bot/admin/settings_views.py", "DAY_SEPARATORS"): "the commas the office may type between days",
    ("bot/config.py", "DEFAULT_SCHOOL_NAME"): "data: the config's default value, and bot.config sits below bot.texts",
    ("storage/task_edits.py", "BY_HAND"): "data: the stored name of the plan that holds hand-added tasks",
}

WORD_MODULES = sorted(p.stem for p in (ROOT / "bot" / "texts").glob("*.py") if p.stem not in ("__init__", "format"))


def chinese_literals(source: str, grammar_names: set[str] = frozenset()) -> list[tuple[int, str]]:
    """(line, text) of every Chinese string constant that is not a docstring and not inside a
    module-level assignment to one of grammar_names."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
    for statement in tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
        if any(isinstance(t, ast.Name) and t.id in grammar_names for t in targets):
            skipped.update(id(n) for n in ast.walk(statement))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skipped and CHINESE.search(n.value)]


def product_modules() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for package in PRODUCT for p in (ROOT / package).rglob("*.py")
                  if not p.relative_to(ROOT).as_posix().startswith("bot/texts/"))


def test_no_product_module_outside_bot_texts_holds_chinese_words():
    found = []
    for module in product_modules():
        if module in GRAMMAR_MODULES:
            continue
        names = {name for (path, name) in GRAMMAR_NAMES if path == module}
        found += [f"{module}:{line}: {text[:60]!r}" for line, text in chinese_literals((ROOT / module).read_text(encoding="utf-8"), names)]
    assert not found, "Chinese words outside bot/texts/ (move them there, or list grammar here with a reason):\n" + "\n".join(found)


def test_the_allow_lists_name_what_exists():
    modules = set(product_modules())
    assert set(GRAMMAR_MODULES) <= modules
    assert all(chinese_literals((ROOT / m).read_text(encoding="utf-8")) for m in GRAMMAR_MODULES)   # no stale entry
    for path, name in GRAMMAR_NAMES:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        assigned = {t.id for s in tree.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
        assert name in assigned, f"{path} has no module-level {name}"
        assert chinese_literals((ROOT / path).read_text(encoding="utf-8"), set()), f"{path} needs no entry"


def test_the_check_sees_a_new_literal_but_not_docstrings_comments_or_listed_grammar():
    source = '''"""模块说明。"""
WORDS = ("周报", "前一天")
def f():
    """函数说明。"""
    # 注释
    raise ValueError(f"第 {1} 行看不懂")
'''
    assert [text for _, text in chinese_literals(source, {"WORDS"})] == ["第 ", " 行看不懂"]
    assert len(chinese_literals(source)) == 4
    assert chinese_literals('x = "（空）"') and chinese_literals('x = "“"') and not chinese_literals('x = "Error: — ok"')


def test_word_modules_import_nothing_and_their_names_are_unique():
    seen: dict[str, str] = {}
    for module in WORD_MODULES:
        tree = ast.parse((ROOT / "bot" / "texts" / f"{module}.py").read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))], f"bot/texts/{module}.py imports"
        for statement in tree.body:
            for target in getattr(statement, "targets", []):
                assert target.id not in seen, f"{target.id} is in both {seen[target.id]} and {module}"
                seen[target.id] = module
                assert getattr(texts, target.id) is not None   # re-exported by bot/texts/__init__.py


def test_every_module_of_bot_texts_has_its_layer():
    contract = (ROOT / ".importlinter").read_text(encoding="utf-8")
    for module in [*WORD_MODULES, "format"]:
        assert re.search(rf"\bbot\.texts\.{module}\b", contract), f"bot.texts.{module} is in no layer of .importlinter"
    words = next(line for line in contract.splitlines() if "bot.texts.chat" in line)
    assert all(f"bot.texts.{m}" in words for m in WORD_MODULES)   # all in one layer, below the domain


# The command line: one place turns a UserError into what the person at the terminal reads.

@click.group(cls=CommandGroup)
def refusing() -> None:
    """A group like `python -m bot`'s."""


@refusing.group()
def nested() -> None:
    """A subgroup, as `plan` or `members`."""


@nested.command()
def refuse() -> None:
    raise UserError("名单里没有“王芳”")


def test_the_command_line_prints_a_user_errors_message_and_exits_1():
    result = CliRunner().invoke(refusing, ["nested", "refuse"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr == texts.ERROR_PREFIX + "名单里没有“王芳”\n"
    assert result.stdout == "" and "Traceback" not in result.output


def test_the_bots_commands_print_their_errors_the_same_way(tmp_path, monkeypatch):
    monkeypatch.setattr(bot.cli_common, "configure_logging", lambda *a, **k: None)   # leave this process's logging alone
    config = tmp_path / "config.yaml"
    config.write_text("school: {name: 青禾小学}\n", encoding="utf-8")
    missing = tmp_path / "计划.txt"
    result = CliRunner().invoke(cli, ["plan", "extract", str(missing), "--config", str(config)])
    assert result.exit_code == 1
    assert result.stderr == texts.ERROR_PREFIX + texts.PLAN_NOT_FOUND.format(path=missing) + "\n"

    config.write_text("databse: {}\n", encoding="utf-8")   # a ConfigError: click's own wording, for the IT person
    result = CliRunner().invoke(cli, ["plan", "extract", str(missing), "--config", str(config)])
    assert result.exit_code == 1
    assert result.stderr == "Error: config: unknown config key databse\n"


# The office's pages: one error handler shows a UserError on the page.

PASSWORD = "correct horse battery"


@pytest.fixture
def office(sqlite_database):
    web = AdminWebSettings(password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
                           secret_key="test-secret-key-not-real")
    settings = Settings(school=SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)),
                        admin_web=web)
    client = create_app(settings, sqlite_database).test_client()
    signed = client.post("/admin/login", data={"password": PASSWORD, "csrf_token": _token(client, "/admin/login")})
    assert signed.status_code == 302
    return client


def _token(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_a_user_error_shows_on_the_form_with_what_was_typed(office):
    page = office.post("/admin/tasks/new", data={"title": " ", "owner": "班主任", "csrf_token": _token(office, "/admin/tasks/new")})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert texts.TASK_TITLE_EMPTY in html and 'value="班主任"' in html


def test_a_user_error_is_flashed_where_the_view_says(office):
    sent = office.post("/admin/terms", data={"name": "第一学期", "original": "第一学期", "start": "2027-01-22", "end": "2026-09-01",
                                             "csrf_token": _token(office, "/admin/terms")})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/admin/terms")
    assert texts.NOT_SAVED.format(problem=texts.TERM_ENDS_EARLY) in office.get("/admin/terms").get_data(as_text=True)


def test_a_user_error_without_a_page_of_its_own_shows_on_the_error_page(office):
    page = office.post("/admin/holidays/delete", data={"day": "", "csrf_token": _token(office, "/admin/terms")})
    assert page.status_code == 400 and texts.DATE_REQUIRED in page.get_data(as_text=True)
