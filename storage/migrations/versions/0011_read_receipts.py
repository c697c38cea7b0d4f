"""read receipts of the enterprise robot's group messages: what to ask DingTalk, and who has read

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('read_check',
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('receipt_key', sa.String(length=300), nullable=False),
    sa.Column('next_at', sa.DateTime(), nullable=True),
    sa.Column('later_at', sa.DateTime(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['reminder_delivery.id'], name=op.f('fk_read_check_delivery_id_reminder_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('delivery_id', name=op.f('pk_read_check'))
    )
    op.create_index(op.f('ix_read_check_next_at'), 'read_check', ['next_at'], unique=False)
    op.create_table('message_read',
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=100), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['reminder_delivery.id'], name=op.f('fk_message_read_delivery_id_reminder_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('delivery_id', 'user_id', name=op.f('pk_message_read'))
    )
    op.create_index(op.f('ix_reminder_delivery_task_id'), 'reminder_delivery', ['task_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reminder_delivery_task_id'), table_name='reminder_delivery')
    op.drop_table('message_read')
    op.drop_index(op.f('ix_read_check_next_at'), table_name='read_check')
    op.drop_table('read_check')
