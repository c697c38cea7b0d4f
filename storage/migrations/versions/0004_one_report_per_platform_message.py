"""one status report per platform message, task and member

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 22:50:00
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_status_report_platform_platform_msg_id_task_id_member_id'),
                                          ['platform', 'platform_msg_id', 'task_id', 'member_id'])


def downgrade() -> None:
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_status_report_platform_platform_msg_id_task_id_member_id'), type_='unique')
