"""The OpenAPI document checked in (docs/api/openapi.yaml) is the one the code generates."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
REGENERATE = ".venv/bin/python manage.py spectacular --validate --file docs/api/openapi.yaml"


def test_the_checked_in_document_is_the_generated_one(tmp_path: Path) -> None:
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == CHECKED_IN.read_text(), (
        f"docs/api/openapi.yaml is not what the API generates: regenerate it with\n    {REGENERATE}\n"
        "and check the differences in with the change to the API."
    )


def test_the_docs_are_served_from_the_services_own_static_files(db: None) -> None:
    page = APIClient().get(reverse("api:docs"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body
    schema = APIClient().get(reverse("api:schema"))
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
