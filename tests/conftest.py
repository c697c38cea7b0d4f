"""Shared fixtures: real databases (SQLite always, PostgreSQL when reachable) and paths.

Each test gets a database of its own, fresh at the newest schema: a copy of one migrated once
per session (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL). Migrating from
nothing is tested where that is the point (tests/test_storage.py).

Two costs a test process pays once, not once per app: the office's templates are compiled once
(a Jinja bytecode cache shared by every Flask app the tests build; checked against the source, so
an edited template is compiled again), and the password the set-up page stores is hashed quickly
unless a test is marked `real_password_hash` (tests/test_test_support.py shows that, unpatched,
set-up stores werkzeug's default hash).
"""
from __future__ import annotations

import ast
import logging
import os
import sqlite3
import subprocess
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import flask
import pytest
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from storage.db import Database, normalise_url

# CPython 3.11 keeps ast.parse's recursion counter per interpreter, not per thread (cpython gh-106905):
# two threads parsing at once (werkzeug compiles each URL rule with ast.parse while other tests' server
# threads run) can fail with "SystemError: AST constructor recursion depth mismatch". A process of the
# product builds its routes once at start-up; the suite builds hundreds of apps beside live threads.
_ast_lock, _ast_parse = threading.Lock(), ast.parse


def _parse_one_at_a_time(*args, **kwargs):
    with _ast_lock:
        return _ast_parse(*args, **kwargs)


ast.parse = _parse_one_at_a_time

ROOT = Path(__file__).resolve().parent.parent


def shared_dir(root: Path) -> Path:
    """../shared beside the project; for a clone of a local checkout (`git clone . /tmp/c`), the one
    beside the checkout it was cloned from."""
    beside = root.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(["git", "config", "--get", "remote.origin.url"], cwd=root, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return beside
    cloned_from = Path(origin.removeprefix("file://"))
    return cloned_from.parent / "shared" if origin and cloned_from.is_absolute() and (cloned_from.parent / "shared").is_dir() else beside


SHARED = shared_dir(ROOT)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# This machine runs PostgreSQL with trust auth; CI elsewhere may not.
POSTGRES_URL = os.environ.get("SCHOOLBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Set by .ci/run: there the seeds and scorers of ../shared must be present, and a test that needs them fails without.
REQUIRE_SHARED = "SCHOOLBOT_REQUIRE_SHARED"


class _TemplatesCompiledOnce(BytecodeCache):
    """In memory, for this process: Jinja keys each template by name and checks its source."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


flask.Flask.jinja_options = {**flask.Flask.jinja_options, "bytecode_cache": _TemplatesCompiledOnce()}


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "real_password_hash: set-up hashes the office's password at full strength")


@pytest.fixture(autouse=True)
def _quick_password_hash(request, monkeypatch):
    """werkzeug's default hash (scrypt) takes about 0.1 s a password; set-up stores a quick one in tests."""
    if request.node.get_closest_marker("real_password_hash"):
        return
    # Where set-up hashes the password; if it moves, only tests/test_test_support.py notices (and the suite is slower).
    monkeypatch.setattr("bot.admin.setup_views.generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"), raising=False)


@pytest.fixture(autouse=True)
def _logging_left_as_found():
    """A test that configures logging as the CLI does (a stderr handler, maybe DEBUG) leaves the root
    logger as it found it, so later tests neither print nor format what it asked for."""
    root = logging.getLogger()
    handlers, level = set(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers and type(h).__module__ == "bot.logs"]:
        root.removeHandler(handler)
    root.setLevel(level)


def shared_or_skip(shared: Path = SHARED) -> Path:
    """../shared (the seeds and scorers): skip without it, or fail where $SCHOOLBOT_REQUIRE_SHARED is set."""
    if not (shared / "eval").is_dir():
        why = f"{shared} is not beside the project (it holds the seeds and scorers)"
        if os.environ.get(REQUIRE_SHARED):
            pytest.fail(f"{why}, and ${REQUIRE_SHARED} says it must be", pytrace=False)
        pytest.skip(why)
    return shared


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "bot.db"
    template = Database(f"sqlite:///{path}")
    template.upgrade()
    template.dispose()
    return path


def _copy_sqlite(source_path: Path, target: Path) -> Database:
    source, copy = sqlite3.connect(source_path), sqlite3.connect(target)
    source.backup(copy)
    source.close()
    copy.close()
    return Database(f"sqlite:///{target}")   # at the newest schema already: upgrade() would find nothing to do


def stored_by_a_process_that_died(database: Database, message) -> int:
    """The row a process stored (and so claimed) before it died unanswered, its claim's lease run out: what the
    next start, or another worker's resumer, finds."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    from bot.inbox import Inbox
    from storage.models import InboundMessage
    row_id = Inbox(database, lambda m: None).accept(message)
    with database.engine.begin() as conn:
        conn.execute(update(InboundMessage).where(InboundMessage.id == row_id).values(
            claimed_at=datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=1)))
    return row_id


@pytest.fixture
def sqlite_database(tmp_path, _sqlite_template) -> Database:
    database = _copy_sqlite(_sqlite_template, tmp_path / "bot.db")
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def _sqlite_prepared(tmp_path_factory, _sqlite_template) -> dict:
    return {}


@pytest.fixture
def sqlite_database_prepared(tmp_path, tmp_path_factory, _sqlite_template, _sqlite_prepared):
    """prepared(build): a fresh database as `build(database)` leaves one, built once per session and
    copied for each test. `build` is a module-level function that depends on nothing else."""
    opened = []

    def prepared(build) -> Database:
        key = f"{build.__module__}.{build.__qualname__}"
        if key not in _sqlite_prepared:
            template = _copy_sqlite(_sqlite_template, tmp_path_factory.mktemp("prepared") / "bot.db")
            build(template)
            template.dispose()
            _sqlite_prepared[key] = Path(template.engine.url.database)
        opened.append(_copy_sqlite(_sqlite_prepared[key], tmp_path / f"prepared-{len(opened)}.db"))   # beside any bot.db
        return opened[-1]

    yield prepared
    for database in opened:
        database.dispose()


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = normalise_url(POSTGRES_URL)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no server here
        pytest.skip(f"no PostgreSQL reachable at {POSTGRES_URL} ({type(exc).__name__}); set SCHOOLBOT_TEST_POSTGRES_URL")
    return url


def _database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _postgres_template(postgres_server_url, _postgres_admin) -> str:
    """A migrated database of this session's own (random name, so parallel runs never share one)."""
    admin, drop_later = _postgres_admin
    name = f"schoolbot_template_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    template = Database(_database_url(postgres_server_url, name))
    template.upgrade()
    template.dispose()   # TEMPLATE needs it unconnected
    yield name
    drop_later(name)


@pytest.fixture(scope="session")
def _postgres_admin(postgres_server_url):
    """The server's own connection for CREATE and DROP DATABASE; drops run on a thread of their own
    (they can take a second under load), all done before the session ends."""
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    dropping = ThreadPoolExecutor(1, thread_name_prefix="drop-database")

    def drop(name: str) -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    yield admin, lambda name: dropping.submit(drop, name)
    dropping.shutdown(wait=True)
    admin.dispose()


@pytest.fixture
def postgres_database(postgres_server_url, _postgres_template, _postgres_admin) -> Database:
    """A fresh database per test, dropped afterwards."""
    admin, drop_later = _postgres_admin
    name = f"schoolbot_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_postgres_template}"'))
        # A commit need not wait for the disk: only a crash of the server itself would tell the difference.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    database = Database(_database_url(postgres_server_url, name))   # at the newest schema, as on SQLite
    yield database
    database.dispose()
    drop_later(name)


@pytest.fixture(params=["sqlite", "postgres"])
def database(request) -> Database:
    return request.getfixturevalue(f"{request.param}_database")
