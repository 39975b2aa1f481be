"""Faults answer in the service's own style: no stack trace, a reference, the right status."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from stepchange.core.observability import JsonFormatter, RequestIdFilter, request_id_var


@pytest.mark.django_db
def test_an_unknown_page_is_a_styled_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_the_database_unreachable_gives_a_503_service_unavailable(client: Client, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("stepchange.core.views.render", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert b"Sorry, the service is unavailable" in response.content
    assert b"Connection refused" not in response.content
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unexpected_error_is_a_styled_500_with_a_reference(client: Client, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("stepchange.core.views.render", broken)
    client.raise_request_exception = False
    response = client.get("/", headers={"X-Request-ID": "ref-12345678"})
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"secret internals" not in response.content
    assert b"ref-12345678" in response.content


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client: Client) -> None:
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]
    assert first and second and first != second
    assert client.get("/", headers={"X-Request-ID": "abc<script>"})["X-Request-ID"] != "abc<script>"


def test_log_lines_are_json_with_the_request_id_and_no_secrets() -> None:
    record = logging.LogRecord("stepchange", logging.INFO, __file__, 1, "signed in %s", ("bob",), None)
    record.password = "correct horse battery staple"
    record.otp_token = "123456"
    record.area = "SYPA"
    token = request_id_var.set("req-abcdef12")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "signed in bob"
    assert line["request_id"] == "req-abcdef12"
    assert line["area"] == "SYPA"
    assert "correct horse" not in json.dumps(line) and "123456" not in json.dumps(line)
