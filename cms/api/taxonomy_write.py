"""The write API for authors and tags: create, change and delete, for editors and admins."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
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
from cms.auth.models import User
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


_WRITE = {401: "No credentials", 403: "Not allowed for this user or key", 400: "Invalid input"}


def add_write_routes(
    *,
    plural: str,
    model: type[Author] | type[Tag],
    create_body: type[BodyModel],
    patch_body: type[BodyModel],
    create: Callable[[User, Mapping[str, Any]], Any],
    update: Callable[[Any, User, Mapping[str, Any]], Any],
    delete: Callable[[Any, User], None],
    to_json: Callable[[Any], dict[str, Any]],
) -> None:
    """POST /{plural}, PATCH and DELETE /{plural}/<id>: the same rules for authors and tags."""
    singular = plural.rstrip("s")
    auth = ("bearer", "session")
    missing = {404: f"No such {singular}"}

    def find(id: str) -> Any:
        try:
            public_id = uuid.UUID(id)
        except ValueError:
            raise NotFound(f"No {singular} has this id.") from None
        found = db.session.scalar(select(model).where(model.uuid == public_id))
        if found is None:
            raise NotFound(f"No {singular} has this id.")
        return found

    @endpoint(
        api, f"/{plural}", methods=("POST",), summary=f"Create {_article(singular)} {singular}",
        tag="Writing", body=create_body, auth=auth, name=f"create_{singular}",
        responses={201: "Created", **_WRITE},
    )  # fmt: skip
    def create_item(body: BodyModel) -> Response:
        item = create(acting_user("content:write"), body.model_dump(exclude_unset=True))
        db.session.commit()
        response = json_response({"data": to_json(item)}, status=201, public=False)
        response.headers["Location"] = url_for(f"api.read_{singular}", id=str(item.uuid), _external=True)
        return response

    @endpoint(
        api, f"/{plural}/<id>", methods=("PATCH",), summary=f"Change {_article(singular)} {singular}",
        tag="Writing", body=patch_body, auth=auth, name=f"update_{singular}",
        responses={200: "Saved", **missing, **_WRITE},
    )  # fmt: skip
    def update_item(id: str, body: BodyModel) -> Response:
        user = acting_user("content:write")
        item = update(find(id), user, body.model_dump(exclude_unset=True))
        db.session.commit()
        return json_response({"data": to_json(item)}, public=False)

    @endpoint(
        api, f"/{plural}/<id>", methods=("DELETE",), summary=f"Delete {_article(singular)} {singular}",
        tag="Writing", auth=auth, name=f"delete_{singular}", responses={204: "Deleted", **missing, **_WRITE},
    )  # fmt: skip
    def delete_item(id: str) -> Response:
        user = acting_user("content:write")
        delete(find(id), user)
        db.session.commit()
        return Response(status=204)


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


add_write_routes(
    plural="authors", model=Author, create_body=AuthorCreate, patch_body=AuthorPatch,
    create=taxonomy.create_author, update=taxonomy.update_author, delete=taxonomy.delete_author,
    to_json=author_json,
)  # fmt: skip
add_write_routes(
    plural="tags", model=Tag, create_body=TagCreate, patch_body=TagPatch,
    create=taxonomy.create_tag, update=taxonomy.update_tag, delete=taxonomy.delete_tag, to_json=tag_json,
)  # fmt: skip
