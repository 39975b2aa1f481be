"""Two people editing the same record: the second save is refused, nothing is overwritten.

Two people doing the same thing at once (opening the same round, reopening the same return,
submitting it): one does it, the other is told who did it and when (``AlreadyDone``).

Every editable model has a ``version`` column. A form carries the version it was read at; the
service saves only if the row still has that version, and bumps it in the same UPDATE.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone


class StaleEdit(Exception):
    """Someone else saved this record after the form was opened."""

    message = (
        "Someone else changed this record while you were editing it. "
        "Your changes have not been saved. Open it again to see their changes, then make yours."
    )

    def __str__(self) -> str:
        return self.message


def save_if_unchanged(obj: models.Model, *, expected_version: int, fields: dict[str, Any]) -> None:
    """Write ``fields`` to ``obj`` only if its row is still at ``expected_version``."""
    model = type(obj)
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(  # type: ignore[attr-defined]
        version=F("version") + 1, **fields
    )
    if updated != 1:
        raise StaleEdit()
    obj.refresh_from_db()


class AlreadyDone(Exception):
    """Someone else has just done what this request asked: a round opened, a return reopened or
    submitted, a partnership formed. Nothing was done twice; the person is told who did it and when,
    and sent to ``url`` (by default ``obj``'s page, else the page they were on) by
    ``AlreadyDoneMiddleware``."""

    def __init__(self, message: str, obj: models.Model, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.obj = obj
        self._url = url

    @property
    def url(self) -> str | None:
        if self._url is not None:
            return self._url
        page = getattr(self.obj, "get_absolute_url", None)
        return str(page()) if page is not None else None

    def __str__(self) -> str:
        return self.message


def _who(user: Any) -> str:
    if user is None:
        return "The service"
    return str(user.get_full_name() or user.get_username())


def _when(at: datetime.datetime) -> str:
    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        return f"at {local:%H:%M}"
    return f"on {local:%-d %B %Y} at {local:%H:%M}"


def already_done(
    obj: models.Model,
    *,
    did: str,
    then: str = "",
    url: str | None = None,
    actions: Iterable[str] = (),
    by: Any = None,
    at: datetime.datetime | None = None,
) -> AlreadyDone:
    """An ``AlreadyDone`` saying who did it and when: "Jo Bloggs reopened this return as a
    correction at 10:42; this is the correction." Who and when are ``by`` and ``at`` where the
    record keeps them, else ``obj``'s latest audit event among ``actions`` (written in the same
    transaction as the change, so it is there as soon as the change is)."""
    from stepchange.core.audit import history_of

    if at is None:
        event = history_of(obj).filter(action__in=list(actions)).order_by("-at", "-id").first()
        if event is not None:
            by, at = event.actor, event.at
    who, when = ("Someone else", "just now") if at is None else (_who(by), _when(at))
    message = f"{who} {did} {when}"
    return AlreadyDone(f"{message}; {then}" if then else f"{message}.", obj, url)


@contextmanager
def first_wins(loser: Callable[[], Exception | None]) -> Iterator[None]:
    """Run the block in a savepoint; if a unique constraint refuses it because someone else's same
    request got there first, raise what ``loser()`` says instead (the transaction stays usable).
    Where ``loser()`` finds nothing (the clash was another), the IntegrityError goes on."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as clash:
        done = loser()
        if done is None:
            raise
        raise done from clash


def created_by_someone_else(
    model: type[models.Model], *, lookup: dict[str, Any], action: str, did: str, page: Callable[[Any], str]
) -> Callable[[], AlreadyDone | None]:
    """For ``first_wins``: the row ``lookup`` finds, made a moment ago by someone else's same
    request, and who made it (its ``action`` audit event); ``page`` is where it is shown ("" for
    the page the request came from)."""

    def loser() -> AlreadyDone | None:
        existing = model._default_manager.filter(**lookup).first()  # type: ignore[attr-defined]
        if existing is None:
            return None
        url = page(existing) or None
        return already_done(existing, actions=[action], did=did, then="here it is." if url else "", url=url)

    return loser


def taken(model: type[models.Model], *, lookup: dict[str, Any], refusal: Exception) -> Callable[[], Exception | None]:
    """For ``first_wins`` where the name is someone else's to have taken (a contract reference, a
    username, an organisation's name): the same ``refusal`` as when the clash is found first, which
    says nothing of who took it."""

    def loser() -> Exception | None:
        return refusal if model._default_manager.filter(**lookup).exists() else None  # type: ignore[attr-defined]

    return loser


class AlreadyDoneMiddleware:
    """Every view answers ``AlreadyDone`` the same way: the message at the top of the page it names."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AlreadyDone):
            return None
        messages.warning(request, exception.message)
        return redirect(exception.url or request.get_full_path())
