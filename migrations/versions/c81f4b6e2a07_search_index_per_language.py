"""search: one partial GIN index per text search configuration (PostgreSQL)

Revision ID: c81f4b6e2a07
Revises: a5e2c7d1b9f3
Create Date: 2026-11-29 07:55:00

"""
from alembic import op

from cms.content.search import OLD_VECTOR_INDEX, VECTOR_COLUMN, VECTOR_INDEXES, create_search_index


# revision identifiers, used by Alembic.
revision = 'c81f4b6e2a07'
down_revision = 'a5e2c7d1b9f3'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return  # SQLite's FTS5 table is unchanged
    op.execute(f'DROP INDEX IF EXISTS {OLD_VECTOR_INDEX}')
    create_search_index(op.get_bind())  # builds what is missing: here the per-language indexes


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name in VECTOR_INDEXES.values():
        op.execute(f'DROP INDEX IF EXISTS {name}')
    op.execute(f'CREATE INDEX IF NOT EXISTS {OLD_VECTOR_INDEX} ON articles USING gin ({VECTOR_COLUMN})')
