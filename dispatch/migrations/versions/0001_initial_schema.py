"""initial schema: branches, readers, items, loans, requests, staff, audit

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 08:32:42.355702
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('branches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('open_24_7', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_branches')),
    sa.UniqueConstraint('code', name=op.f('uq_branches_code'))
    )
    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barcode', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('available', 'on_loan', 'not_for_loan', 'in_transit', 'lost', 'withdrawn', name='item_status', native_enum=False, length=32), nullable=False),
    sa.Column('weight_g', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_items_branch_id_branches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('barcode', name=op.f('uq_items_barcode'))
    )
    op.create_table('readers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_number', sa.String(length=32), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('entrance', sa.String(length=10), nullable=True),
    sa.Column('floor', sa.String(length=10), nullable=True),
    sa.Column('flat', sa.String(length=10), nullable=True),
    sa.Column('door_code', sa.String(length=20), nullable=True),
    sa.Column('has_lift', sa.Boolean(), nullable=True),
    sa.Column('access_notes', sa.Text(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('home_branch_id', sa.Integer(), nullable=True),
    sa.Column('card_expires_on', sa.Date(), nullable=True),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('block_reason', sa.String(length=200), nullable=True),
    sa.Column('disability_group', sa.Integer(), nullable=True),
    sa.Column('disability_until', sa.Date(), nullable=True),
    sa.Column('temporary_until', sa.Date(), nullable=True),
    sa.Column('sms_opt_out', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['home_branch_id'], ['branches.id'], name=op.f('fk_readers_home_branch_id_branches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_readers')),
    sa.UniqueConstraint('card_number', name=op.f('uq_readers_card_number'))
    )
    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('admin', 'dispatcher', 'operator', 'courier', name='staff_role', native_enum=False, length=32), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_staff_users_branch_id_branches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_users')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_users_username'))
    )
    op.create_table('delivery_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.Enum('delivery', 'return_pickup', name='request_kind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('received', 'validated', 'rejected', 'scheduled', 'planned', 'dispatched', 'in_transit', 'delivered', 'collected', 'returned', 'failed', 'cancelled', name='request_status', native_enum=False, length=32), nullable=False),
    sa.Column('reader_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('web', 'operator', 'phone', 'api', 'standing_order', 'system', name='request_channel', native_enum=False, length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('wished_date', sa.Date(), nullable=True),
    sa.Column('window_start', sa.Time(), nullable=False),
    sa.Column('window_end', sa.Time(), nullable=False),
    sa.Column('service_date', sa.Date(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_delivery_requests_branch_id_branches')),
    sa.ForeignKeyConstraint(['reader_id'], ['readers.id'], name=op.f('fk_delivery_requests_reader_id_readers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_requests')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_delivery_requests_idempotency_key')),
    sa.UniqueConstraint('public_id', name=op.f('uq_delivery_requests_public_id'))
    )
    with op.batch_alter_table('delivery_requests', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_requests_day', ['service_date', 'branch_id', 'status'], unique=False)
        batch_op.create_index('ix_delivery_requests_reader_status', ['reader_id', 'status'], unique=False)

    op.create_table('loans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('reader_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_loans_item_id_items')),
    sa.ForeignKeyConstraint(['reader_id'], ['readers.id'], name=op.f('fk_loans_reader_id_readers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loans')),
    sa.UniqueConstraint('item_id', 'issued_on', name='uq_loans_item_issued')
    )
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loans_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loans_reader_id'), ['reader_id'], unique=False)

    op.create_table('request_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_request_items_item_id_items')),
    sa.ForeignKeyConstraint(['loan_id'], ['loans.id'], name=op.f('fk_request_items_loan_id_loans')),
    sa.ForeignKeyConstraint(['request_id'], ['delivery_requests.id'], name=op.f('fk_request_items_request_id_delivery_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_items')),
    sa.UniqueConstraint('request_id', 'item_id', name='uq_request_items_request_item')
    )
    with op.batch_alter_table('request_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_items_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('request_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_items_item_id'))

    op.drop_table('request_items')
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loans_reader_id'))
        batch_op.drop_index(batch_op.f('ix_loans_item_id'))

    op.drop_table('loans')
    with op.batch_alter_table('delivery_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_requests_reader_status')
        batch_op.drop_index('ix_delivery_requests_day')

    op.drop_table('delivery_requests')
    op.drop_table('staff_users')
    op.drop_table('readers')
    op.drop_table('items')
    op.drop_table('branches')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_entity')

    op.drop_table('audit_events')
