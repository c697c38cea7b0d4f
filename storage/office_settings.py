"""Key/value settings the office keeps in the database instead of config.yaml."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import Database
from .models import OfficeSetting

PASSWORD_HASH = "password_hash"
SECRET_KEY = "secret_key"
SETUP_CODE = "setup_code"


def get(db: Database, key: str) -> str:
    with db.read() as s:
        return s.execute(select(OfficeSetting.value).where(OfficeSetting.key == key)).scalar() or ""


def put(db: Database, key: str, value: str) -> None:
    for _ in range(2):   # the first write of a key may race another worker's
        try:
            with db.transaction() as s:
                found = s.get(OfficeSetting, key, with_for_update=True)
                if found is None:
                    s.add(OfficeSetting(key=key, value=value))
                else:
                    found.value = value
            return
        except IntegrityError:
            continue


def get_or_create(db: Database, key: str, make: Callable[[], str]) -> str:
    """The stored value, or a new one from make() kept for every worker: the first writer wins."""
    value = get(db, key)
    if value:
        return value
    try:
        with db.transaction() as s:
            s.add(OfficeSetting(key=key, value=make()))
    except IntegrityError:
        pass
    return get(db, key)


def drop(db: Database, key: str) -> None:
    with db.transaction() as s:
        s.execute(delete(OfficeSetting).where(OfficeSetting.key == key))


def create(db: Database, key: str, value: str) -> bool:
    """Store a value only if none is stored: False when another request stored one first."""
    try:
        with db.transaction() as s:
            s.add(OfficeSetting(key=key, value=value))
        return True
    except IntegrityError:
        return False


def take(db: Database, key: str, value: str) -> bool:
    """Remove the value if it is still this one, in one statement: True for exactly one caller."""
    with db.transaction() as s:
        return s.execute(delete(OfficeSetting).where(OfficeSetting.key == key, OfficeSetting.value == value)).rowcount == 1


def put_in(s: Session, key: str, value: str) -> None:
    """put() inside a caller's transaction, so the setting commits with the change it belongs to."""
    found = s.get(OfficeSetting, key, with_for_update=True)
    if found is None:
        s.add(OfficeSetting(key=key, value=value))
    else:
        found.value = value
