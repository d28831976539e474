"""整改 and 复验 (rectifications, acceptances.attempt, stage 'rectifying'); 场景券台账 payments

Revision ID: d4e8a1c7b302
Revises: d8c881ca51c6
Create Date: 2026-12-05 10:05:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d4e8a1c7b302"
down_revision = "d8c881ca51c6"
branch_labels = None
depends_on = None

OLD_STAGES = (
    "stage IN ('published', 'accepting', 'under_review', 'publicity', 'awarded', "
    "'in_delivery', 'accepted', 'failed', 'cancelled')"
)
NEW_STAGES = (
    "stage IN ('published', 'accepting', 'under_review', 'publicity', 'awarded', "
    "'in_delivery', 'rectifying', 'accepted', 'failed', 'cancelled')"
)


def upgrade():
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_listings_stage"), type_="check")
        batch_op.create_check_constraint("stage", NEW_STAGES)
    with op.batch_alter_table("acceptances", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attempt", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.drop_constraint(op.f("uq_acceptances_award_id"), type_="unique")
        batch_op.create_unique_constraint(op.f("uq_acceptances_award_id"), ["award_id", "attempt"])
        batch_op.create_check_constraint("attempt", "attempt BETWEEN 1 AND 2")
    op.create_table(
        "rectifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report_note", sa.Text(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("days BETWEEN 1 AND 365", name=op.f("ck_rectifications_days")),
        sa.CheckConstraint(
            "status IN ('open', 'reported', 'passed', 'failed')",
            name=op.f("ck_rectifications_status"),
        ),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"],
            name=op.f("fk_rectifications_award_id_awards"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"], ["users.id"],
            name=op.f("fk_rectifications_granted_by_id_users"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["users.id"],
            name=op.f("fk_rectifications_reported_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectifications")),
        sa.UniqueConstraint("award_id", name=op.f("uq_rectifications_award_id")),
    )
    op.create_table(
        "voucher_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_voucher_payments_amount")),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"],
            name=op.f("fk_voucher_payments_award_id_awards"), ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"],
            name=op.f("fk_voucher_payments_recorded_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher_payments")),
        sa.UniqueConstraint("reference", name=op.f("uq_voucher_payments_reference")),
    )
    with op.batch_alter_table("voucher_payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voucher_payments_award_id"), ["award_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("voucher_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voucher_payments_award_id"))
    op.drop_table("voucher_payments")
    op.drop_table("rectifications")
    op.execute("DELETE FROM acceptances WHERE attempt > 1")
    with op.batch_alter_table("acceptances", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_acceptances_attempt"), type_="check")
        batch_op.drop_constraint(op.f("uq_acceptances_award_id"), type_="unique")
        batch_op.create_unique_constraint(op.f("uq_acceptances_award_id"), ["award_id"])
        batch_op.drop_column("attempt")
    op.execute("UPDATE listings SET stage = 'failed' WHERE stage = 'rectifying'")
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_listings_stage"), type_="check")
        batch_op.create_check_constraint("stage", OLD_STAGES)
