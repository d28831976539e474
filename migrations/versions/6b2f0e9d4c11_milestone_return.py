"""milestones.returned_at and milestones.return_reason: the factory sends a submission back (退回补充)

Revision ID: 6b2f0e9d4c11
Revises: 3836c066ce01
Create Date: 2026-12-05 18:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6b2f0e9d4c11'
down_revision = '3836c066ce01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('return_reason', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_column('return_reason')
        batch_op.drop_column('returned_at')
