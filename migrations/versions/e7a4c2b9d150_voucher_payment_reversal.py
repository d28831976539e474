"""voucher_payments: 冲销 (reversal) — reversed_at, reversed_by_id, reversal_reason; the
reference is unique only among the payments not reversed

Revision ID: e7a4c2b9d150
Revises: 6b2f0e9d4c11
Create Date: 2026-12-05 21:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e7a4c2b9d150"
down_revision = "6b2f0e9d4c11"
branch_labels = None
depends_on = None

ACTIVE = sa.text("reversed_at IS NULL")


def upgrade():
    with op.batch_alter_table("voucher_payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reversed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reversed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reversal_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_voucher_payments_reversed_by_id_users"),
            "users",
            ["reversed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            "reversal_reason", "reversed_at IS NULL OR reversal_reason <> ''"
        )
        batch_op.drop_constraint("uq_voucher_payments_reference", type_="unique")
    op.create_index(
        "uq_voucher_payments_active_reference",
        "voucher_payments",
        ["reference"],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )


def downgrade():
    # The old constraint allows one row per reference: a reversed payment whose reference was
    # recorded again would break it, and a reversal cannot be kept without its columns, so the
    # reversed payments go (the audit log still names them).
    op.execute("DELETE FROM voucher_payments WHERE reversed_at IS NOT NULL")
    op.drop_index("uq_voucher_payments_active_reference", table_name="voucher_payments")
    with op.batch_alter_table("voucher_payments", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_voucher_payments_reference", ["reference"])
        batch_op.drop_constraint(op.f("ck_voucher_payments_reversal_reason"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_voucher_payments_reversed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("reversal_reason")
        batch_op.drop_column("reversed_by_id")
        batch_op.drop_column("reversed_at")
