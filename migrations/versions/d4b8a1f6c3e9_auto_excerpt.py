"""auto excerpt: the excerpt made from the body, kept with the article

Revision ID: d4b8a1f6c3e9
Revises: c81f4b6e2a07
Create Date: 2026-11-29 12:30:00

"""
from alembic import op
import sqlalchemy as sa

from cms.content.rendering import derived_excerpt


# revision identifiers, used by Alembic.
revision = 'd4b8a1f6c3e9'
down_revision = 'c81f4b6e2a07'
branch_labels = None
depends_on = None

_BATCH = 2000


def upgrade():
    # Plain ALTER TABLE, not batch mode: on SQLite a batch rebuild would drop the table's triggers.
    op.add_column('articles', sa.Column('auto_excerpt', sa.Text(), server_default='', nullable=False))
    connection = op.get_bind()
    articles = sa.table('articles', sa.column('id', sa.Integer), sa.column('plaintext', sa.Text),
                        sa.column('auto_excerpt', sa.Text))
    update = articles.update().where(articles.c.id == sa.bindparam('key')).values(auto_excerpt=sa.bindparam('made'))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(articles.c.id, articles.c.plaintext)
            .where(articles.c.id > last, articles.c.plaintext != '')
            .order_by(articles.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        connection.execute(update, [{'key': key, 'made': derived_excerpt(text)} for key, text in rows])
        last = rows[-1][0]


def downgrade():
    # SQLite (3.35 and later) drops a column in place, keeping the table's other triggers.
    op.execute('ALTER TABLE articles DROP COLUMN auto_excerpt')
