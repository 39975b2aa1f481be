"""The oracle of the API (/api/v1/) and of the API tokens pages (/account/api-tokens/).

The matrix's clients are signed in with a session, and the API takes no session: to it every one
of them is someone signed out. So each API URL answers every persona alike, as it answers the
public: the directory, published contracts and opportunities and the public reports are read (200),
anything else is not admitted (404), an empty list where the person has nothing (200), a report
for people signed in and every write ask for a token (401). What each persona's token reads is
tests/access/test_api_lists.py's; what a token may write, tests/api/.

The tokens pages are every signed-in person's own: the list to everyone signed in, a token's
revoke button to its holder only.
"""

from __future__ import annotations

from collections.abc import Callable

from stepchange.api.models import ApiToken
from stepchange.api.services import token_create
from tests.access.oracle.base import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SIGNED_IN,
    UNAUTHORISED,
    Case,
    _in,
    everyone,
    guarded,
    post_only,
    read_only,
)
from tests.access.world import SY, World


def hidden(label: str, **kwargs: object) -> Case:
    """A thing the public may not see: not admitted (404); a POST is a method it does not take."""
    return read_only(label, everyone(NOT_FOUND), **kwargs)


def writes(label: str, *, get: str, **kwargs: object) -> Case:
    """A URL that takes a write: without a token, a POST asks for one."""
    return Case(label, kwargs, get=everyone(get), post=everyone(UNAUTHORISED))


def _daves_token(w: World) -> ApiToken:
    dave = w.user("dave")
    existing = ApiToken.objects.filter(user=dave, name="oracle's token", revoked_at__isnull=True).first()
    return existing or token_create(actor=dave, name="oracle's token")[0]


PUBLISHED = "WY-PUBLIC-7303"

ORACLE: dict[str, Callable[[World], list[Case]]] = {
    "api:organisations": lambda w: [read_only("directory")],
    "api:organisation": lambda w: [read_only("listed organisation", pk=w.calder.pk)],
    "api:contracts": lambda w: [writes("contracts", get=OK)],
    "api:contract": lambda w: [
        writes("published contract", get=OK, pk=w.contracts[PUBLISHED].pk),
        writes("unpublished contract", get=NOT_FOUND, pk=w.contracts[SY].pk),
    ],
    "api:prison-returns": lambda w: [read_only("prison returns (none for the public)")],
    "api:probation-returns": lambda w: [read_only("probation returns (none for the public)")],
    "api:probation-return": lambda w: [hidden("probation return", pk=w.probation_return.pk)],
    "api:opportunities": lambda w: [read_only("published opportunities")],
    "api:bids": lambda w: [read_only("bids (none for the public)")],
    "api:reports": lambda w: [read_only("reports")],
    "api:report": lambda w: [
        read_only("a public report", name="contract-values"),
        read_only("for people signed in", everyone(UNAUTHORISED), name="returns-status"),
        hidden("no such report", name="no-such-report"),
    ],
    "api:schema": lambda w: [read_only("OpenAPI document")],
    "api:docs": lambda w: [read_only("Swagger UI")],
    **_in(
        "rounds",
        {
            "api:prison-return": lambda w: [hidden("Leeds's return", pk=w.rounds.leeds.pk)],
            "api:prison-return-lines": lambda w: [writes("Leeds's return", get=NOT_ALLOWED, pk=w.rounds.leeds.pk)],
            "api:prison-return-submit": lambda w: [writes("Leeds's return", get=NOT_ALLOWED, pk=w.rounds.leeds.pk)],
        },
    ),
    **_in(
        "tenders",
        {"api:opportunity": lambda w: [read_only("published opportunity", pk=w.tenders.sealed.pk)]},
    ),
    "api-tokens:list": lambda w: [guarded("your tokens", SIGNED_IN)],
    "api-tokens:revoke": lambda w: [post_only("Dave's token", {"dave"}, rollback=True, pk=_daves_token(w).pk)],
}
