"""delivery retries and scheduler marks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:14:27.276695
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scheduler_mark',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('holder', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_mark'))
    )
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('detail', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.drop_column('detail')
        batch_op.drop_column('next_attempt_at')

    op.drop_table('scheduler_mark')
