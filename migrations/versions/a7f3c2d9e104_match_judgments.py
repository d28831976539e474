"""match judgments: 不相关 / 已联系 on recommendations, by whom and when

Revision ID: a7f3c2d9e104
Revises: 3c51d0a9e7b2
Create Date: 2026-12-06 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7f3c2d9e104"
down_revision = "f5225f802e25"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "match_judgments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("offering_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("side IN ('need', 'offering')", name=op.f("ck_match_judgments_side")),
        sa.CheckConstraint(
            "verdict IN ('irrelevant', 'contacted')", name=op.f("ck_match_judgments_verdict")
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_match_judgments_need_id_needs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offering_id"], ["offerings.id"],
            name=op.f("fk_match_judgments_offering_id_offerings"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_match_judgments_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_judgments")),
        sa.UniqueConstraint(
            "user_id", "need_id", "offering_id", "side", name="uq_match_judgments_user_pair_side"
        ),
    )
    op.create_index("ix_match_judgments_need_id", "match_judgments", ["need_id"], unique=False)


def downgrade():
    op.drop_index("ix_match_judgments_need_id", table_name="match_judgments")
    op.drop_table("match_judgments")
