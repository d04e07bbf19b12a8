"""Declaring API endpoints: one decorator validates the request and records the endpoint for OpenAPI.

The OpenAPI document is generated from the same pydantic models that validate every request, so the
docs cannot drift from what the code accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

import pydantic
from flask import Blueprint, request

from cms.errors import UnsupportedMediaType, ValidationError


@dataclass(frozen=True)
class Endpoint:
    rule: str
    methods: tuple[str, ...]
    summary: str
    tag: str
    query: type[pydantic.BaseModel] | None = None
    body: type[pydantic.BaseModel] | None = None
    responses: dict[int, str] = field(default_factory=dict)
    description: str = ""
    auth: tuple[str, ...] = ()


M = TypeVar("M", bound=pydantic.BaseModel)

#: Every endpoint declared with ``endpoint``, in declaration order.
REGISTRY: list[Endpoint] = []


def field_errors(error: pydantic.ValidationError, *, top_level: bool = False) -> list[dict[str, str]]:
    """One ``{field, message}`` per problem; ``top_level`` names the parameter, not its n-th item."""
    errors = []
    for item in error.errors(include_url=False, include_context=False, include_input=False):
        parts = item["loc"][:1] if top_level else item["loc"]
        location = ".".join(str(part) for part in parts) or "body"
        errors.append({"field": location, "message": item["msg"]})
    return errors


def _raise_for(error: pydantic.ValidationError, *, top_level: bool = False) -> None:
    errors = field_errors(error, top_level=top_level)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    raise ValidationError(detail, errors=errors) from None


def parse_query(model: type[M]) -> M:
    """Validate ``request.args``; a parameter given twice counts once (the first)."""
    values = {name: request.args.get(name) for name in request.args if name in model.model_fields}
    try:
        return model.model_validate(values)
    except pydantic.ValidationError as error:
        _raise_for(error, top_level=True)
        raise  # pragma: no cover - _raise_for always raises


def parse_body(model: type[M]) -> M:
    """Validate a JSON body; anything but ``application/json`` is refused with 415."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the request body as application/json.")
    data = request.get_json(silent=True)
    if data is None:
        raise ValidationError.field("body", "the body is not valid JSON")
    if not isinstance(data, dict):
        raise ValidationError.field("body", "the body must be a JSON object")
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        _raise_for(error)
        raise  # pragma: no cover - _raise_for always raises


def endpoint(
    blueprint: Blueprint,
    rule: str,
    *,
    summary: str,
    tag: str,
    methods: tuple[str, ...] = ("GET",),
    query: type[pydantic.BaseModel] | None = None,
    body: type[pydantic.BaseModel] | None = None,
    responses: dict[int, str] | None = None,
    description: str = "",
    auth: tuple[str, ...] = (),
    name: str | None = None,
    cache: Callable[[Callable[..., Any]], Callable[..., Any]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Route ``rule`` on ``blueprint``; the view receives ``query=`` and/or ``body=`` already validated.

    ``cache`` (cms/api/response_cache.py ``public_response``) wraps the validation too: a request
    answered from the cache was valid when its answer was made, and is not parsed again.
    """
    prefix = blueprint.url_prefix or ""
    REGISTRY.append(
        Endpoint(
            rule=prefix + rule,
            methods=methods,
            summary=summary,
            tag=tag,
            query=query,
            body=body,
            responses=responses or {},
            description=description,
            auth=auth,
        )
    )

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def validated(**kwargs: Any) -> Any:
            if query is not None:
                kwargs["query"] = parse_query(query)
            if body is not None:
                kwargs["body"] = parse_body(body)
            return view(**kwargs)

        routed = cache(validated) if cache is not None else validated
        blueprint.add_url_rule(rule, endpoint=name, view_func=routed, methods=list(methods))
        return routed

    return decorator
