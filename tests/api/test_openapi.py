"""The OpenAPI document: served without a token, 3.1, and listing every API route."""

from __future__ import annotations

import re


def api_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower(), rule.endpoint.removeprefix("api.")))
    return routes


def test_document_lists_every_route(app, client):
    """Every API route (path, method, operationId) is in the document and nothing else is."""
    document = client.get("/api/v1/openapi.json").json
    described = {(path, method, op["operationId"])
                 for path, item in document["paths"].items() for method, op in item.items()}
    assert described == api_routes(app)


def test_document_header_and_security(client):
    """OpenAPI 3.1 with the bearer scheme required by default; the document itself is open."""
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "Authorization: Bearer <token>"}
    assert document["security"] == [{"bearer": []}]
    assert document["paths"]["/openapi.json"]["get"]["security"] == []
    assert document["servers"][0]["url"].endswith("/api/v1")


def test_path_parameters_declared(client):
    """Each {parameter} of a path is declared as a required path parameter."""
    document = client.get("/api/v1/openapi.json").json
    for path, item in document["paths"].items():
        for op in item.values():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), path


def test_refs_resolve(client):
    """Every $ref points at a component that exists."""
    document = client.get("/api/v1/openapi.json").json
    text = str(document)
    for ref in set(re.findall(r"#/components/(\w+)/(\w+)", text)):
        assert ref[1] in document["components"][ref[0]], ref
