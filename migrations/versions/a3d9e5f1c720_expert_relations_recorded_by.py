"""expert_relations: recorded_by_id — a relation an organiser recorded (NULL = declared by the
expert)

Revision ID: a3d9e5f1c720
Revises: e7a4c2b9d150
Create Date: 2026-12-05 21:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a3d9e5f1c720"
down_revision = "e7a4c2b9d150"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("expert_relations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_expert_relations_recorded_by_id_users"),
            "users",
            ["recorded_by_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade():
    # Without the column an organiser's record would read as the expert's own declaration:
    # those rows go (the audit log still names them).
    op.execute("DELETE FROM expert_relations WHERE recorded_by_id IS NOT NULL")
    with op.batch_alter_table("expert_relations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_expert_relations_recorded_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("recorded_by_id")
