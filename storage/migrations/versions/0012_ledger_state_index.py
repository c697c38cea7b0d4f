"""the minute's read of what to send goes by state, then due time: flat however much has been sent

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 13:00:00
"""
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_reminder_delivery_state_due', 'reminder_delivery', ['state', 'due_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reminder_delivery_state_due', table_name='reminder_delivery')
