"""gap_snapshots: the stored supply-demand gap figures

Revision ID: d3c5a1f0b822
Revises: 9a0dd8666d51
Create Date: 2026-12-05 10:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d3c5a1f0b822"
down_revision = "9a0dd8666d51"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "gap_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gap_snapshots")),
    )


def downgrade():
    op.drop_table("gap_snapshots")
