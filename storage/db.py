"""The database handle: one engine, short write transactions, reads that take no lock, Alembic migrations."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Database:
    def __init__(self, url: str, echo: bool = False, busy_timeout_s: float = 30.0) -> None:
        """busy_timeout_s: how long SQLite waits for another writer's lock before giving up."""
        self.url = normalise_url(url)
        self.engine = _engine(self.url, echo, busy_timeout_s)
        # On SQLite a write transaction takes the write lock at BEGIN: one that read first and
        # then tried to write would fail at once with "database is locked" under contention.
        sqlite = self.engine.dialect.name == "sqlite"
        writer = self.engine.execution_options(sqlite_immediate=True) if sqlite else self.engine
        # Reads are refused writes by the database itself (SQLite's query_only, PostgreSQL's READ ONLY
        # transaction), so a write slipped into read() fails loudly wherever it comes from: a flush,
        # a bulk insert, raw SQL. A read-then-write belongs in transaction().
        # On SQLite reads have connections of their own, query_only from the start: one pool for both would tell
        # a connection PRAGMA query_only on and off again for every message (a write, then a read, then a write).
        self.read_engine = _engine(self.url, echo, busy_timeout_s, query_only=True) if sqlite and _on_disk(self.url) else self.engine
        reader = self.read_engine.execution_options(**({"sqlite_query_only": True} if sqlite else {"postgresql_readonly": True}))
        self._sessions = sessionmaker(writer, expire_on_commit=False)
        self._reads = sessionmaker(reader, autoflush=False)
        self._shared_read: ContextVar[Session | None] = ContextVar(f"shared_read_{id(self)}", default=None)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Everything inside commits together or not at all; on SQLite the write lock is taken at BEGIN."""
        self._end_shared_snapshot()   # a thread holds one connection at a time: threads holding one each never wait on each other
        with self._sessions() as session, session.begin():
            yield session
        self._end_shared_snapshot()   # the shared reads after this write start a snapshot that sees it

    def _end_shared_snapshot(self) -> None:
        shared = self._shared_read.get()
        if shared is not None:
            shared.close()   # its connection goes back to the pool; the session begins anew at its next read

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One consistent snapshot to read from, never committed. On SQLite a deferred BEGIN: under WAL
        a reader neither waits for the writer nor holds it up. Within shared_reads(), the shared session."""
        shared = self._shared_read.get()
        if shared is not None:
            try:
                yield shared
            except BaseException:
                shared.close()   # a failed read (on PostgreSQL, an aborted transaction) must not spoil the next ones
                raise
            return
        with self._reads() as session:   # closing rolls back; loaded objects stay readable, detached
            yield session

    @contextmanager
    def shared_reads(self) -> Iterator[None]:
        """The reads of one unit of work on this thread (a chat message's answer: the sender, the terms, the
        tasks, the reports) share one session: one connection checkout and one BEGIN instead of one each.
        A transaction() in between ends the snapshot, so the reads after a write see it."""
        if self._shared_read.get() is not None:
            yield
            return
        with self._reads() as session:
            token = self._shared_read.set(session)
            try:
                yield
            finally:
                self._shared_read.reset(token)

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        with self.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def normalise_url(url: str) -> str:
    """postgresql:// means psycopg 3 here (the driver we ship), not SQLAlchemy's psycopg2 default."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _on_disk(url: str) -> bool:
    database = make_url(url).database
    return bool(database) and database != ":memory:"


def _engine(url: str, echo: bool, busy_timeout_s: float, query_only: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)
    if _on_disk(url):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout_s})
    event.listen(engine, "connect", lambda connection, record: _sqlite_pragmas(connection, record, busy_timeout_s, query_only))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(connection) -> None:
    """SQLAlchemy's documented recipe: the driver's own transaction handling is off, we say BEGIN."""
    options = connection.get_execution_options()
    _sqlite_query_only(connection, bool(options.get("sqlite_query_only")))
    connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_immediate") else "BEGIN")


def _sqlite_query_only(connection, wanted: bool) -> None:
    """The pragma lasts as long as the pooled connection, so it is said only when it changes."""
    info = connection.connection.info
    if info.get("query_only", False) != wanted:
        connection.exec_driver_sql(f"PRAGMA query_only={int(wanted)}")
        info["query_only"] = wanted


def _sqlite_pragmas(dbapi_connection, record, busy_timeout_s: float, query_only: bool) -> None:
    dbapi_connection.isolation_level = None   # see _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")   # SQLite ignores foreign keys unless asked
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the one writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across crashes, fsync only at checkpoints
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
    if query_only:
        cursor.execute("PRAGMA query_only=1")
        record.info["query_only"] = True   # see _sqlite_query_only
    cursor.close()
