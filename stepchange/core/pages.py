"""The one shape of a form page that saves through a service: parse, call it, show what went wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stepchange.core.concurrency import StaleEdit


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    save: Callable[[dict[str, Any]], Any],
    saved: str,
    caption: str,
    details: list[tuple[str, Any]] | None = None,
) -> HttpResponse:
    """On a valid POST, ``save`` the cleaned data and go ``back``; else show the form with its errors.

    A ValidationError from the service lands beside the field it names; a stale edit goes to the
    top of the page, and in both cases nothing was saved (the service's transaction rolled back).
    """
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, saved)
            return redirect(back)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": title, "caption": caption, "back": back, "details": details or []},
    )
