"""Content API: tags, each with its number of published articles."""

from cms.api.collections import add_collection_routes
from cms.api.representations import tag_json
from cms.content.models import ArticleTag, Tag

add_collection_routes(plural="tags", model=Tag, link=ArticleTag, to_json=tag_json)
