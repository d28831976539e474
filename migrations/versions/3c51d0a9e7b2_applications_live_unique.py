"""applications: one live application per listing and organisation (a withdrawn one no longer
blocks a new application)

Revision ID: 3c51d0a9e7b2
Revises: 5e55a0c1d2b7
Create Date: 2026-12-05 01:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3c51d0a9e7b2"
down_revision = "5e55a0c1d2b7"
branch_labels = None
depends_on = None

LIVE = sa.text("status <> 'withdrawn'")


def upgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_constraint("uq_applications_listing_id", type_="unique")
    op.create_index(
        "uq_applications_live_lead",
        "applications",
        ["listing_id", "organisation_id"],
        unique=True,
        postgresql_where=LIVE,
        sqlite_where=LIVE,
    )


def downgrade():
    # Withdrawn duplicates would break the old constraint: keep only the newest row of each pair.
    op.execute(
        "DELETE FROM applications WHERE status = 'withdrawn' AND EXISTS ("
        " SELECT 1 FROM applications AS other WHERE other.listing_id = applications.listing_id"
        " AND other.organisation_id = applications.organisation_id AND other.id > applications.id)"
    )
    op.drop_index("uq_applications_live_lead", table_name="applications")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_applications_listing_id", ["listing_id", "organisation_id"]
        )
