"""link dates: tag and author links carry their article's published_at

Revision ID: a5e2c7d1b9f3
Revises: 3f1c9a7e52d4
Create Date: 2026-11-29 07:40:00

"""
from alembic import op
import sqlalchemy as sa

import cms.db
from cms.content.link_dates import create_link_date_triggers, drop_link_date_triggers


# revision identifiers, used by Alembic.
revision = 'a5e2c7d1b9f3'
down_revision = '3f1c9a7e52d4'
branch_labels = None
depends_on = None

_LINKS = (('article_authors', 'author_id'), ('article_tags', 'tag_id'))


def upgrade():
    # Plain ALTER TABLE, not batch mode: on SQLite a batch rebuild would drop the tables' triggers.
    for table, owner in _LINKS:
        op.add_column(table, sa.Column('published_at', cms.db.UTCDateTime(timezone=True), nullable=True))
        op.drop_index(f'ix_{table}_{owner.removesuffix("_id")}_article', table_name=table)
        op.create_index(f'ix_{table}_listing', table, [owner, 'published_at', 'article_id'], unique=False)
    # Also copies each article's date onto the links already there.
    create_link_date_triggers(op.get_bind())


def downgrade():
    drop_link_date_triggers(op.get_bind())
    for table, owner in _LINKS:
        op.drop_index(f'ix_{table}_listing', table_name=table)
        op.create_index(f'ix_{table}_{owner.removesuffix("_id")}_article', table, [owner, 'article_id'], unique=False)
        # SQLite (3.35 and later) drops a column in place, keeping the table's other triggers.
        op.execute(f'ALTER TABLE {table} DROP COLUMN published_at')
