"""The API's docs page and OpenAPI schema: offline, under our Content-Security-Policy."""

import re

from django.test import Client


def test_openapi_schema_is_version_3_1_and_public(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
    assert schema["info"]["title"] == "Mine Action Platform API"
    assert schema["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_openapi_schema_documents_problems_as_problem_json(db):
    schema = Client().get("/api/v1/openapi.json").json()

    responses = schema["paths"]["/api/v1/organisations"]["post"]["responses"]

    assert sorted(responses) == ["201", "400", "401", "403", "404", "409", "422"]
    assert list(responses["422"]["content"]) == ["application/problem+json"]
    assert list(responses["201"]["content"]) == ["application/json"]


def test_docs_page_loads_only_local_static_files(clients):
    response = clients["member"].get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sorted(urls) == [
        "/api/v1/openapi.json",
        "/static/ninja/favicon.svg",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
        "/static/ninja/swagger-ui.css",
    ]
    assert "//" not in "".join(urls)


def test_docs_page_scripts_carry_the_csp_nonce(clients):
    response = clients["member"].get("/api/v1/docs")

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*\bsrc=[^>]*>", response.content.decode())
    assert len(scripts) == 2
    assert all(f'nonce="{nonce}"' in script for script in scripts)
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_docs_page_turns_off_the_external_validator_badge(clients):
    html = clients["member"].get("/api/v1/docs").content.decode()

    assert '"validatorUrl": null' in html
    assert '"url": "/api/v1/openapi.json"' in html
