"""listing counts: public article totals kept by triggers

Revision ID: 3f1c9a7e52d4
Revises: 8cc739b9d6f7
Create Date: 2026-11-29 07:20:00

"""
from alembic import op
import sqlalchemy as sa

from cms.content.counts import create_count_triggers, drop_count_triggers


# revision identifiers, used by Alembic.
revision = '3f1c9a7e52d4'
down_revision = '8cc739b9d6f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('listing_counts',
    sa.Column('facet', sa.String(length=16), nullable=False),
    sa.Column('term', sa.String(length=191), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('facet', 'term', name=op.f('pk_listing_counts'))
    )
    # Builds the triggers and counts the articles already there.
    create_count_triggers(op.get_bind())


def downgrade():
    drop_count_triggers(op.get_bind())
    op.drop_table('listing_counts')
