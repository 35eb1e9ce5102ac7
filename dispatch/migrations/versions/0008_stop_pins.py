"""stop pins: a dispatcher keeps a request on a chosen vehicle when the day is planned again

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stop_pins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("vehicle", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_stop_pins_branch_id_branches")),
        sa.ForeignKeyConstraint(
            ["request_id"], ["delivery_requests.id"], name=op.f("fk_stop_pins_request_id_delivery_requests"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stop_pins")),
        sa.UniqueConstraint("service_date", "request_id", name="uq_stop_pins_date_request"),
    )
    with op.batch_alter_table("stop_pins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stop_pins_branch_id"), ["branch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stop_pins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stop_pins_branch_id"))
    op.drop_table("stop_pins")
