"""The OpenAPI 3.1 document, generated from the endpoint registry and its pydantic models."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, current_app

from cms.api import api
from cms.api.caching import json_response
from cms.api.routing import REGISTRY, Endpoint

_PATH_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem; validation errors name each offending field.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status"],
}
_SECURITY_SCHEMES = {
    "contentKey": {"type": "apiKey", "in": "query", "name": "key"},
    "bearer": {"type": "http", "scheme": "bearer"},
    "session": {"type": "apiKey", "in": "cookie", "name": "session"},
}


def _parameters(item: Endpoint, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAM.findall(item.rule)
    ]
    if item.query is None:
        return params
    model_schema = item.query.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(model_schema.pop("$defs", {}))
    required = set(model_schema.get("required", []))
    for name, schema in model_schema["properties"].items():
        schema = dict(schema)
        description = schema.pop("description", "")
        schema.pop("title", None)
        param: dict[str, Any] = {"name": name, "in": "query", "required": name in required, "schema": schema}
        if description:
            param["description"] = description
        if schema.get("type") == "array":
            param.update(style="form", explode=False)
        params.append(param)
    return params


def _operation(item: Endpoint, method: str, schemas: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": f"{method}_{item.rule}".replace("/", "_").replace("<", "").replace(">", ""),
        "summary": item.summary,
        "tags": [item.tag],
        "parameters": _parameters(item, schemas),
        "responses": {},
    }
    if item.description:
        operation["description"] = item.description
    if item.body is not None:
        body_schema = item.body.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(body_schema.pop("$defs", {}))
        schemas[item.body.__name__] = body_schema
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{item.body.__name__}"}}
            },
        }
    if item.auth:
        operation["security"] = [{scheme: []} for scheme in item.auth]
    for status, description in sorted(item.responses.items()):
        response: dict[str, Any] = {"description": description}
        if status >= 400:
            response["content"] = _PROBLEM
        operation["responses"][str(status)] = response
    if not operation["responses"]:
        operation["responses"]["200"] = {"description": "OK"}
    return operation


def build_document() -> dict[str, Any]:
    schemas: dict[str, Any] = {"Problem": _PROBLEM_SCHEMA}
    paths: dict[str, Any] = {}
    for item in REGISTRY:
        path = _PATH_PARAM.sub(r"{\1}", item.rule)
        for method in item.methods:
            paths.setdefault(path, {})[method.lower()] = _operation(item, method.lower(), schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CMS API",
            "version": "1",
            "description": "Published content for frontends, and accounts and writes for trusted clients. "
            "Errors are application/problem+json.",
        },
        "servers": [{"url": current_app.config["PUBLIC_URL"]}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": _SECURITY_SCHEMES},
    }


@api.get("/openapi.json")
def openapi_document() -> Response:
    return json_response(build_document())
