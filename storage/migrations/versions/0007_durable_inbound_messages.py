"""inbound messages kept until handled: the row is the queue

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        # Rows from before this revision were answered when they were seen.
        batch_op.add_column(sa.Column('state', sa.String(length=12), nullable=False, server_default='handled'))
        batch_op.add_column(sa.Column('payload', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('handled_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_inbound_message_state', ['state'])


def downgrade() -> None:
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_message_state')
        for column in ('handled_at', 'claimed_at', 'attempts', 'payload', 'state'):
            batch_op.drop_column(column)
