"""reader codes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reader_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reader_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reader_id'], ['readers.id'], name=op.f('fk_reader_codes_reader_id_readers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reader_codes'))
    )
    with op.batch_alter_table('reader_codes', schema=None) as batch_op:
        batch_op.create_index('ix_reader_codes_reader_created', ['reader_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reader_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_reader_codes_reader_created')

    op.drop_table('reader_codes')
