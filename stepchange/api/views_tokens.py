"""Your account's API tokens: make one (shown once), see yours, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from stepchange.api import services
from stepchange.api.access import tokens_of
from stepchange.api.forms import TokenForm

# The session key the new token waits under between the POST that made it and the page that shows
# it once: popped as it is shown, so a reload shows it no more.
JUST_MADE = "api_token_just_made"


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, whole = services.token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            request.session[JUST_MADE] = {"name": token.name, "token": whole}
            return redirect("api-tokens:list")
    just_made = request.session.pop(JUST_MADE, None) if request.method == "GET" else None
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens_of(request.user), "just_made": just_made},
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(tokens_of(request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, f"The token {token.name} is revoked: it no longer works.")
    return redirect("api-tokens:list")
