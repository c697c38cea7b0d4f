"""terms edited on the office's page, and the school's own holidays

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 23:25:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_holiday_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday')),
    sa.UniqueConstraint('school_id', 'day', name=op.f('uq_holiday_school_id_day'))
    )
    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
    op.drop_table('holiday')
