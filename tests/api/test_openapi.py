"""The OpenAPI document is valid and describes what the code validates."""

from flask.testing import FlaskClient
from openapi_spec_validator import validate


def test_the_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_parameters_come_from_the_validating_models(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/articles"]["get"]["parameters"]}
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert parameters["limit"]["schema"]["minimum"] == 1
    assert parameters["include"]["schema"]["items"]["enum"] == ["authors", "tags"]
    assert set(parameters["order"]["schema"]["enum"]) == {
        "published_at desc", "published_at asc", "title asc", "title desc",
    }  # fmt: skip
    assert {"/api/v1/articles/slug/{slug}", "/api/v1/authors/{id}", "/api/v1/tags/slug/{slug}"} <= set(
        document["paths"]
    )


def test_the_docs_page_lists_every_endpoint(client: FlaskClient) -> None:
    page = client.get("/api/docs").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    for path in document["paths"]:
        assert path in page
