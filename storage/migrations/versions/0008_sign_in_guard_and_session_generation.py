"""sign-in attempts counted atomically per address; a generation that ends every office session

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_guard',
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('ip', name=op.f('pk_login_guard'))
    )
    op.create_table('office_state',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_office_state'))
    )


def downgrade() -> None:
    op.drop_table('office_state')
    op.drop_table('login_guard')
