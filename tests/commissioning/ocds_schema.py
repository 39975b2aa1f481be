"""Validate OCDS release packages offline: the 1.1.5 schemas and codelists kept in ``standards/``.

The package schema refers to the release schema by its URL; a ``referencing`` registry maps that
URL to the local file and has no way to retrieve anything else, so an unknown reference fails
instead of fetching. jsonschema has no date-time or uri format checker without optional
packages, so the two formats OCDS uses are checked here. Codelist values are checked by walking
each release beside the release schema and reading the ``codelist`` named at each field, for the
codelists whose CSV is kept (closed and open alike; a deprecated code counts as a problem).
"""

from __future__ import annotations

import csv
import datetime
import functools
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT4

STANDARD = Path(__file__).parent / "standards" / "ocds-1.1.5"
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.datetime.fromisoformat(value)
    if "T" not in value or parsed.tzinfo is None:
        raise ValueError(f"{value} is not an RFC 3339 date-time with an offset")
    return True


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    return bool(parts.scheme and parts.netloc)


def _load(name: str) -> dict[str, Any]:
    return json.loads((STANDARD / name).read_text(encoding="utf-8"))


@functools.cache
def release_schema() -> dict[str, Any]:
    return _load("release-schema.json")


@functools.cache
def package_validator() -> jsonschema.Draft4Validator:
    registry: Registry = Registry().with_resource(RELEASE_SCHEMA_URL, DRAFT4.create_resource(release_schema()))
    return jsonschema.Draft4Validator(_load("release-package-schema.json"), registry=registry, format_checker=FORMATS)


def schema_errors(package: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in package_validator().iter_errors(package)
    ]


@functools.cache
def codelist(name: str) -> frozenset[str] | None:
    """The codes of a codelist kept here, less deprecated ones; None when its CSV is not kept."""
    path = STANDARD / "codelists" / name
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as file:
        return frozenset(row["Code"] for row in csv.DictReader(file) if not (row.get("Deprecated") or "").strip())


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/definitions/"), f"unexpected reference {ref}"
        schema = release_schema()["definitions"][ref.removeprefix("#/definitions/")]
    return schema


def _walk(data: Any, schema: dict[str, Any], path: str, problems: list[str], checked: set[str]) -> None:
    schema = _resolve(schema)
    name = schema.get("codelist")
    if name and data is not None:
        codes = codelist(name)
        if codes is not None:
            checked.add(name)
            for value in data if isinstance(data, list) else [data]:
                if value not in codes:
                    problems.append(f"{path}: {value!r} is not a code of {name}")
    if isinstance(data, dict):
        for key, value in data.items():
            sub = schema.get("properties", {}).get(key)
            if sub is not None:
                _walk(value, sub, f"{path}/{key}", problems, checked)
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(data):
            _walk(item, schema["items"], f"{path}/{index}", problems, checked)


def codelist_problems(package: dict[str, Any], checked: set[str] | None = None) -> list[str]:
    """Every value of a codelist field that is not a (current) code of its codelist."""
    problems: list[str] = []
    checked = checked if checked is not None else set()
    for index, release in enumerate(package.get("releases", [])):
        _walk(release, release_schema(), f"releases/{index}", problems, checked)
    return problems


def reference_problems(package: dict[str, Any]) -> list[str]:
    """What the schema cannot say: ids unique, and each organisation reference names a party."""
    problems = []
    release_ids = [(r["ocid"], r["id"]) for r in package["releases"]]
    if len(set(release_ids)) != len(release_ids):
        problems.append("two releases share an ocid and id")
    for release in package["releases"]:
        parties = {p["id"]: p for p in release.get("parties", [])}
        if len(parties) != len(release.get("parties", [])):
            problems.append(f"{release['id']}: two parties share an id")
        refs = [release.get("buyer"), release.get("tender", {}).get("procuringEntity")]
        for award in release.get("awards", []):
            refs += award.get("suppliers", [])
        for ref in refs:
            if ref is None:
                continue
            if ref["id"] not in parties or parties[ref["id"]]["name"] != ref["name"]:
                problems.append(f"{release['id']}: {ref} names no party")
        award_ids = {a["id"] for a in release.get("awards", [])}
        for contract in release.get("contracts", []):
            if contract["awardID"] not in award_ids:
                problems.append(f"{release['id']}: contract {contract['id']} names no award")
    return problems


def assert_valid_package(package: dict[str, Any]) -> None:
    problems = schema_errors(package) + codelist_problems(package) + reference_problems(package)
    assert not problems, "Not a valid OCDS 1.1.5 release package:\n" + "\n".join(problems)
