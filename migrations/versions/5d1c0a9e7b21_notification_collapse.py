"""notification collapse: subject and repeats

Repeated notices of the same kind about the same object to the same user collapse into one
inbox entry (see matchmaker/notifications/services.py).

Revision ID: 5d1c0a9e7b21
Revises: 7246f3a1e2a4
Create Date: 2026-12-05 01:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5d1c0a9e7b21"
down_revision = "7246f3a1e2a4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("subject", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("repeats", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_index(
            "ix_notifications_collapse", ["user_id", "kind", "subject"], unique=False
        )


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_collapse")
        batch_op.drop_column("repeats")
        batch_op.drop_column("subject")
