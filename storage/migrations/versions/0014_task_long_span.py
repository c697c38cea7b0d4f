"""tasks lasting longer than two months are marked, and indexed with their dates: a span's read looks only two
months back for the others, nearly all, instead of two years, however many tasks the earlier years hold

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

SHORT_TASK_DAYS = 62   # storage.models.SHORT_TASK, as it was when this ran


def upgrade() -> None:
    # A plain ADD COLUMN, never batch mode's copy of the table: with foreign keys on, SQLite's DROP of the old
    # table would cascade to the send ledger and be refused by the status reports.
    op.add_column('task', sa.Column('long_span', sa.Boolean(), nullable=False, server_default='0'))
    lasting = ("julianday(end_date) - julianday(start_date)" if op.get_bind().dialect.name == "sqlite"
               else "end_date - start_date")
    op.execute(sa.text(f"UPDATE task SET long_span = :yes WHERE start_date IS NOT NULL AND end_date IS NOT NULL "
                       f"AND {lasting} > {SHORT_TASK_DAYS}").bindparams(yes=True))
    op.create_index('ix_task_school_span_dates', 'task', ['school_id', 'long_span', 'start_date', 'end_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_task_school_span_dates', table_name='task')
    op.drop_column('task', 'long_span')   # SQLite 3.35's DROP COLUMN, in place (see upgrade)
