"""The import contract in .importlinter holds for the tree, and breaks on each kind of import
it exists to stop: a copy of the tree gets one bad import per layer boundary and must fail."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"
PACKAGES = ("bot", "handlers", "storage")

# (module file, the line added, the words import-linter must print about it)
BAD_IMPORTS = [
    ("storage/db.py", "import bot.config", "storage is not allowed to import bot.config"),
    ("handlers/tasks.py", "import bot.reminders.runner", "handlers is not allowed to import bot.reminders"),
    ("bot/reminders/messages.py", "import handlers.tasks", "bot.reminders is not allowed to import handlers"),
    ("bot/platforms/dingtalk_reply.py", "import bot.dispatch", "bot.platforms is not allowed to import bot.dispatch"),
    ("bot/plan/extract.py", "import bot.progress", "bot.plan is not allowed to import bot.progress"),
    ("bot/config.py", "import bot.texts", "bot.config is not allowed to import bot.texts"),
    ("bot/understanding/intents.py", "import flask", "bot.understanding is not allowed to import flask"),
]


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache", "--config", str(root / ".importlinter")],
                          cwd=root, env={"PYTHONPATH": str(root), "PATH": ""}, capture_output=True, text=True,
                          timeout=60)


def test_the_tree_keeps_its_layers():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "2 kept, 0 broken" in done.stdout


def test_each_kind_of_upward_import_breaks_the_contract(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "templates", "static"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    assert _lint(tmp_path).returncode == 0   # the copy is as good as the tree until it is spoiled

    for path, line, _ in BAD_IMPORTS:
        with open(tmp_path / path, "a", encoding="utf-8") as module:
            module.write(f"\n{line}  # deliberately against the layers\n")
    done = _lint(tmp_path)

    assert done.returncode != 0
    report = " ".join(done.stdout.split())   # the report wraps long lines
    missing = [words for _, _, words in BAD_IMPORTS if words not in report]
    assert not missing, done.stdout[-4000:]
