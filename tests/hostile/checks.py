"""What every hostile request must come to: a refusal a person can read, or a clean save."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connection, models, transaction

from stepchange.accounts.models import User
from stepchange.contracts.models import Contract, MainGrant, SubContract, Target
from stepchange.core.audit import snapshot
from stepchange.core.models import AuditEvent, Pathway
from stepchange.organisations.models import Organisation
from stepchange.reports.models import PublishedFigure
from stepchange.returns.models import ProbationReturn

if TYPE_CHECKING:
    from tests.fixture_types import TestResponse

COUNTED: list[type[models.Model]] = [
    Contract,
    Contract.pathways.through,
    SubContract,
    Organisation,
    Organisation.areas_served.through,
    Organisation.pathways_served.through,
    MainGrant,
    Target,
    Pathway,
    PublishedFigure,
    ProbationReturn,
    User,
    AuditEvent,
]
# Every table of tenders and returns too, their many-to-many tables included.
COUNTED += [
    model
    for app in ("commissioning", "returns")
    for model in apps.get_app_config(app).get_models(include_auto_created=True)
    if model not in COUNTED
]

# Markup that would run or render if it reached the page unescaped.
MARKUP = re.compile(r"<[a-zA-Z/!]")


def row_counts() -> dict[str, int]:
    """The rows of each counted table (by its model's label), read in one statement: asked before
    and after every hostile request, fifty ``count()`` calls each were about a fifth of the hostile
    tests' time. No counted model's default manager leaves a row out (``test_row_counts``)."""
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in COUNTED)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(COUNTED, row, strict=True)}


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each example starts from the same rows: whatever it saved is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def sent_values(data: dict[str, Any]) -> list[str]:
    values: list[str] = []
    for value in data.values():
        values.extend(value if isinstance(value, list) else [value])
    return [str(v) for v in values]


def assert_escaped(response: TestResponse, data: dict[str, Any]) -> None:
    body = response.content.decode(errors="replace")
    for value in sent_values(data):
        if MARKUP.search(value):
            assert value not in body, f"{value[:80]!r} was echoed unescaped"


def assert_not_a_server_error(response: TestResponse) -> None:
    assert response.status_code < 500, f"{response.status_code}: {response.content[:300]!r}"


def assert_refused_or_saved(
    response: TestResponse,
    data: dict[str, Any],
    *,
    before: dict[str, int],
    saved_adds: dict[str, int] | None = None,
    record: models.Model | None = None,
    record_before: dict[str, Any] | None = None,
) -> str:
    """A refusal re-shows the GOV.UK form with its error summary and changes no row (``record``, if
    given, is as it was); a save redirects, adds ``saved_adds`` rows and one audit event.
    Returns "refused" or "saved", so a test can check both happened over its examples."""
    assert_not_a_server_error(response)
    assert_escaped(response, data)
    if response.status_code in (200, 400):
        assert b"govuk-error-summary" in response.content, "re-shown without saying what was wrong"
        assert row_counts() == before, "refused, yet rows changed"
        if record is not None:
            assert snapshot(type(record)._default_manager.get(pk=record.pk)) == record_before
        return "refused"
    assert response.status_code == 302, response.status_code
    after = row_counts()
    expected = dict(before)
    for label, added in (saved_adds or {}).items():
        expected[label] += added
    expected["core.AuditEvent"] += 1
    assert after == expected, "a save changed other rows than it should"
    return "saved"


def assert_refused_or_done(
    response: TestResponse,
    data: dict[str, Any],
    *,
    before: dict[str, int],
    record: models.Model | None = None,
    record_before: dict[str, Any] | None = None,
) -> str:
    """For a form whose save changes several tables (a tender's or a return's): a refusal is as in
    ``assert_refused_or_saved``; a save redirects and leaves at least one audit event."""
    assert_not_a_server_error(response)
    assert_escaped(response, data)
    if response.status_code in (200, 400):
        assert b"govuk-error-summary" in response.content, "re-shown without saying what was wrong"
        assert row_counts() == before, "refused, yet rows changed"
        if record is not None:
            assert snapshot(type(record)._default_manager.get(pk=record.pk)) == record_before
        return "refused"
    assert response.status_code == 302, response.status_code
    assert AuditEvent.objects.count() > before["core.AuditEvent"], "saved without an audit event"
    return "saved"


def post_hostile(
    client: Any,
    url: str,
    sent: dict[str, Any],
    *,
    record: models.Model | None = None,
    before: Callable[[], dict[str, int]] = row_counts,
    saved_adds: dict[str, int] | None = None,
) -> str:
    """The body of every hostile form test: post ``sent`` and check it came to a refusal or a clean
    save, then undo whatever it saved so the next example starts from the same rows.

    ``before`` gives the row counts a refusal must leave (by default the counts now). With
    ``saved_adds`` a save must add exactly those rows and one audit event (``assert_refused_or_saved``);
    without, a save that changes several tables need only leave an audit event (``assert_refused_or_done``).
    Returns "refused" or "saved".
    """
    with rolled_back():
        record_before = snapshot(type(record)._default_manager.get(pk=record.pk)) if record is not None else None
        counts = before()
        response = client.post(url, sent)
        if saved_adds is None:
            return assert_refused_or_done(response, sent, before=counts, record=record, record_before=record_before)
        return assert_refused_or_saved(
            response, sent, before=counts, saved_adds=saved_adds, record=record, record_before=record_before
        )


def good_values(fields: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    """The values a form's field list gives as good: what the hostile examples start from."""
    return {name: value for name, (_kind, value) in fields.items()}


def assert_good_values_save(
    client: Any, url: str, fields: dict[str, tuple[str, Any]], *, before: Callable[[], dict[str, int]] = row_counts
) -> None:
    """The good values of a form save, so that the hostile examples test refusals, not a broken form.
    On failure the message shows the form's error summary."""
    good = good_values(fields)
    counts = before()
    response = client.post(url, good)
    body = response.content.decode()
    summary = body[body.find("govuk-error-summary__list") :][:1500]
    assert assert_refused_or_done(response, good, before=counts) == "saved", summary
