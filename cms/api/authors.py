"""Content API: author profiles, each with its number of published articles."""

from cms.api.collections import add_collection_routes
from cms.api.representations import author_json
from cms.content.models import ArticleAuthor, Author

add_collection_routes(plural="authors", model=Author, link=ArticleAuthor, to_json=author_json)
