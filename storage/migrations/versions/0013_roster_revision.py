"""the roster revision, one row from the start: every roster write updates it, none has to create it
(two first writers would both try); the ledger's due-time index goes, (state, due time) serves its reads
and a planner with statistics chose the due-time one and read the whole history

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 14:00:00
"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

SETTING = sa.table('office_setting', sa.column('key', sa.String), sa.column('value', sa.Text),
                   sa.column('updated_at', sa.DateTime))


def upgrade() -> None:
    op.drop_index('ix_reminder_delivery_due_at', table_name='reminder_delivery')
    op.bulk_insert(SETTING, [{'key': 'roster_revision', 'value': 'initial', 'updated_at': datetime(2026, 12, 2)}])


def downgrade() -> None:
    op.create_index('ix_reminder_delivery_due_at', 'reminder_delivery', ['due_at'], unique=False)
    op.execute(SETTING.delete().where(SETTING.c.key == 'roster_revision'))
