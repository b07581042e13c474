"""The served OpenAPI description: every reference in it resolves, and every answer an
operation gives (as the authorization matrix gets them) is documented."""

import copy
import json

import pytest

from cadence.tests.client import BrowserClient
from cadence.tests.matrix import BAD, CREATED, DENIED, HIDDEN, INVALID, LOGIN, OK, ROLES
from cadence.tests.test_authorization_matrix import MATRIX
from conftest import built_for_the_module

SCHEMA_URL = "/api/v1/openapi.json"
STATUS = {
    LOGIN: "401",
    DENIED: "403",
    HIDDEN: "404",
    BAD: "400",
    INVALID: "422",
    CREATED: "201",
}


def described() -> dict:
    response = BrowserClient().get(SCHEMA_URL)
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def module_document(django_db_setup, django_db_blocker):
    """The description, read once for the module's 130-odd cases (it takes a second or two)."""
    yield from built_for_the_module(django_db_blocker, described)


@pytest.fixture
def document(db, module_document):
    return copy.deepcopy(module_document)


def references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def resolves(document, ref):
    if not ref.startswith("#/"):
        return False
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def operation_named(document, name):
    """The operation behind the URL name `api:<name>` (ninja names both after the function)."""
    found = [op for _p, _m, op in operations(document) if op["operationId"].endswith(f"_{name}")]
    assert len(found) <= 1, name
    return found[0] if found else None


def test_every_reference_resolves(document):
    refs = list(references(document))
    assert refs
    assert [ref for ref in refs if not resolves(document, ref)] == []


def test_no_nested_definitions_are_left_behind(document):
    assert "$defs" not in json.dumps(document)


def test_the_review_answers_body_is_described(document):
    path = "/api/v1/reviews/invitations/{invitation_id}/answers"
    body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ReviewAnswersIn"}
    schemas = document["components"]["schemas"]
    answers = schemas["ReviewAnswersIn"]["properties"]["answers"]
    assert answers["items"] == {"$ref": "#/components/schemas/ReviewAnswerIn"}
    assert set(schemas["ReviewAnswerIn"]["properties"]) == {"question_id", "rating", "comment"}


def test_the_description_is_the_same_every_time(client, document):
    assert client.get(SCHEMA_URL).json() == document


def test_every_operation_documents_the_errors_its_shape_allows(document):
    for path, method, operation in operations(document):
        answers = set(operation["responses"])
        params = operation.get("parameters", [])
        assert "401" in answers, (method, path)
        if any(p["in"] == "path" for p in params):
            assert "404" in answers, (method, path)
        if method in {"post", "patch", "put", "delete"}:
            assert {"403", "422"} <= answers, (method, path)
        if params or "requestBody" in operation:
            assert "422" in answers, (method, path)
        for status, answer in operation["responses"].items():
            if status.startswith(("4", "5")):
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert resolves(document, ref)


API_ROUTES = sorted(name for name in MATRIX if name.startswith("api:"))


@pytest.mark.parametrize("name", API_ROUTES)
def test_every_answer_the_matrix_gets_is_documented(document, name):
    operation = operation_named(document, name.removeprefix("api:"))
    if operation is None:  # the description itself, its docs page and the API's root
        assert name in {"api:openapi-json", "api:openapi-view", "api:api-root"}
        return
    documented = set(operation["responses"])
    for role in ROLES:
        outcome = MATRIX[name].outcome(role)
        if outcome == OK:
            assert any(status.startswith("2") for status in documented), name
        else:
            assert STATUS[outcome] in documented, (name, role, outcome, documented)


LISTS = ["goals", "people", "teams", "feedback", "conversations", "feedback-requests", "audit"]


@pytest.mark.parametrize("name", LISTS)
def test_lists_document_their_keyset_paging(document, name):
    operation = document["paths"][f"/api/v1/{name}"]["get"]
    params = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert {"limit", "cursor"} <= set(params) and "offset" not in params
    assert params["limit"]["schema"]["maximum"] == 500
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(page["properties"]) == {"items", "next_cursor", "next"}
