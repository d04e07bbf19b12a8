"""article relations: each article's authors and tags as the API shows them, kept by triggers

Revision ID: e5a1c9d3f7b2
Revises: d4b8a1f6c3e9
Create Date: 2026-11-29 15:10:00

"""
from alembic import op
import sqlalchemy as sa

from cms.content.kept_relations import create_relation_triggers, drop_relation_triggers


# revision identifiers, used by Alembic.
revision = 'e5a1c9d3f7b2'
down_revision = 'd4b8a1f6c3e9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('article_relations',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('authors', sa.Text(), server_default='[]', nullable=False),
    sa.Column('tags', sa.Text(), server_default='[]', nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_relations_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_relations'))
    )
    # Builds the triggers and writes the arrays of the articles already there.
    create_relation_triggers(op.get_bind())


def downgrade():
    drop_relation_triggers(op.get_bind())
    op.drop_table('article_relations')
