"""Persistence: models, the database handle, migrations and query functions.

Nothing here imports from `bot` or `handlers`; callers get plain dataclasses back.
"""
