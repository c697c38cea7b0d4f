"""`python -m bot …` in this process: the same click command group, arguments, output and exit code as
the real process, without an interpreter's start-up (about a second each).

What a fresh process would differ in is made the same: the working directory is the one given; an
exception that escapes the command prints its traceback to stderr and exits 1, as Python does; the
command's logging goes to its own stderr, and only the command's own threads' (not those that earlier
tests left running), and the logging set-up is put back afterwards. Where the process itself is the
point (kill -9, memory measured, a server on a port), tests still start one.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from click.testing import CliRunner

import bot.cli_common
from bot.cli import cli
from tests.conftest import ROOT

PROG = "python -m bot"


@dataclass(frozen=True)
class Ran:
    """What subprocess.run(…, capture_output=True, text=True) tells of a finished process."""
    returncode: int
    stdout: str
    stderr: str


def run_bot(*args, cwd: Path = ROOT, env: dict[str, str] | None = None, input: str | None = None) -> Ran:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    others = set(threading.enumerate()) - {threading.current_thread()}
    configure = bot.cli_common.configure_logging

    def configure_for_this_command(*a, **k) -> None:
        configure(*a, **k)
        for handler in root.handlers:
            if handler not in saved_handlers:
                handler.addFilter(lambda record: threading.current_thread() not in others)

    try:
        for handler in saved_handlers:   # a fresh process starts with none of ours
            if handler.__class__.__module__ == "bot.logs":
                root.removeHandler(handler)
        with contextlib.chdir(cwd), mock.patch.object(bot.cli_common, "configure_logging", configure_for_this_command):
            result = CliRunner().invoke(cli, [str(a) for a in args], input=input, env=env, prog_name=PROG)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
        return Ran(1, result.stdout, stderr)
    return Ran(result.exit_code, result.stdout, stderr)
