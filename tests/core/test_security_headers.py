"""Every page is sent with headers that stop inline script, framing and referrer leaks."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_pages_forbid_inline_script_framing_and_cross_site_referrers(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_templates_carry_no_inline_script(client: Client) -> None:
    body = client.get("/").content.decode()
    # Every <script> tag loads a file; none has a body.
    for chunk in body.split("<script")[1:]:
        tag, _, rest = chunk.partition(">")
        assert "src=" in tag
        assert rest.startswith("</script>")
