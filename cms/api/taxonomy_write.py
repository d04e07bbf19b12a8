"""The write API for authors and tags: create, change and delete, for editors and admins."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from flask import Response, url_for
from pydantic import Field
from sqlalchemy import select

from cms.api import api
from cms.api.caching import json_response
from cms.api.params import BodyModel
from cms.api.representations import author_json, tag_json
from cms.api.routing import endpoint
from cms.api.security import acting_user
from cms.content import taxonomy
from cms.content.models import Author, Tag
from cms.errors import NotFound
from cms.extensions import db

Name = Annotated[str, Field(min_length=1, max_length=191)]
Slug = Annotated[str, Field(min_length=1, max_length=180)]
Url = Annotated[str, Field(max_length=2000)]
Text = Annotated[str, Field(max_length=20_000)]


class AuthorPatch(BodyModel):
    name: Name | None = None
    slug: Slug | None = None
    bio: Text | None = None
    avatar_url: Url | None = None
    cover_image_url: Url | None = None
    website: Url | None = None
    location: Annotated[str, Field(max_length=191)] | None = None


class AuthorCreate(AuthorPatch):
    name: Name


class TagPatch(BodyModel):
    name: Name | None = None
    slug: Slug | None = None
    description: Text | None = None


class TagCreate(TagPatch):
    name: Name


def _find(model: type[Author] | type[Tag], id: str) -> Any:
    try:
        public_id = uuid.UUID(id)
    except ValueError:
        raise NotFound(f"No {model.__tablename__[:-1]} has this id.") from None
    found = db.session.scalar(select(model).where(model.uuid == public_id))
    if found is None:
        raise NotFound(f"No {model.__tablename__[:-1]} has this id.")
    return found


_WRITE = {401: "No credentials", 403: "Not allowed for this user or key", 400: "Invalid input"}


@endpoint(
    api, "/authors", methods=("POST",), summary="Create an author", tag="Writing", body=AuthorCreate,
    auth=("bearer", "session"), name="create_author", responses={201: "Created", **_WRITE},
)  # fmt: skip
def create_author(body: AuthorCreate) -> Response:
    author = taxonomy.create_author(acting_user("content:write"), body.model_dump(exclude_unset=True))
    db.session.commit()
    response = json_response({"data": author_json(author)}, status=201, public=False)
    response.headers["Location"] = url_for("api.read_author", id=str(author.uuid), _external=True)
    return response


@endpoint(
    api, "/authors/<id>", methods=("PATCH",), summary="Change an author", tag="Writing", body=AuthorPatch,
    auth=("bearer", "session"), name="update_author",
    responses={200: "Saved", 404: "No such author", **_WRITE},
)  # fmt: skip
def update_author(id: str, body: AuthorPatch) -> Response:
    user = acting_user("content:write")
    author = taxonomy.update_author(_find(Author, id), user, body.model_dump(exclude_unset=True))
    db.session.commit()
    return json_response({"data": author_json(author)}, public=False)


@endpoint(
    api, "/authors/<id>", methods=("DELETE",), summary="Delete an author", tag="Writing",
    auth=("bearer", "session"), name="delete_author",
    responses={204: "Deleted", 404: "No such author", **_WRITE},
)  # fmt: skip
def delete_author(id: str) -> Response:
    user = acting_user("content:write")
    taxonomy.delete_author(_find(Author, id), user)
    db.session.commit()
    return Response(status=204)


@endpoint(
    api, "/tags", methods=("POST",), summary="Create a tag", tag="Writing", body=TagCreate,
    auth=("bearer", "session"), name="create_tag", responses={201: "Created", **_WRITE},
)  # fmt: skip
def create_tag(body: TagCreate) -> Response:
    tag = taxonomy.create_tag(acting_user("content:write"), body.model_dump(exclude_unset=True))
    db.session.commit()
    response = json_response({"data": tag_json(tag)}, status=201, public=False)
    response.headers["Location"] = url_for("api.read_tag", id=str(tag.uuid), _external=True)
    return response


@endpoint(
    api, "/tags/<id>", methods=("PATCH",), summary="Change a tag", tag="Writing", body=TagPatch,
    auth=("bearer", "session"), name="update_tag", responses={200: "Saved", 404: "No such tag", **_WRITE},
)  # fmt: skip
def update_tag(id: str, body: TagPatch) -> Response:
    user = acting_user("content:write")
    tag = taxonomy.update_tag(_find(Tag, id), user, body.model_dump(exclude_unset=True))
    db.session.commit()
    return json_response({"data": tag_json(tag)}, public=False)


@endpoint(
    api, "/tags/<id>", methods=("DELETE",), summary="Delete a tag", tag="Writing",
    auth=("bearer", "session"), name="delete_tag", responses={204: "Deleted", 404: "No such tag", **_WRITE},
)  # fmt: skip
def delete_tag(id: str) -> Response:
    user = acting_user("content:write")
    taxonomy.delete_tag(_find(Tag, id), user)
    db.session.commit()
    return Response(status=204)
