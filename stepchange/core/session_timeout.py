"""Warning a signed-in person before their session ends, and letting them stay signed in.

A session ends ``SESSION_COOKIE_AGE`` after it was last saved (not after the last page: Django
saves a session only when it changes). Every page a signed-in person sees carries the seconds it
has left, read from the session's own row, so that ``static/js/session-timeout.mjs`` can warn five
minutes before the end. The warning's button posts here; saving the session starts its time again.
Without JavaScript the same button is a plain form that comes back to the page.

What is lost when a session ends is only what was typed and not yet saved: the returns pages save
each page as a draft, so a person who signs in again carries on where they were.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

# How long before the end the warning shows (the JavaScript reads it from the page).
WARN_BEFORE_SECONDS = 5 * 60
DATABASE_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


def seconds_left(request: HttpRequest) -> int | None:
    """Seconds until this request's session ends, or None for someone not signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = request.session
    if settings.SESSION_ENGINE in DATABASE_ENGINES and session.session_key:
        from django.contrib.sessions.models import Session

        ends = Session.objects.filter(session_key=session.session_key).values_list("expire_date", flat=True).first()
        if ends is not None:
            return max(0, int((ends - timezone.now()).total_seconds()))
    return int(session.get_expiry_age())


@login_required
@require_POST
def stay_signed_in(request: HttpRequest) -> HttpResponse:
    """Save the session, so that its time starts again; say how long it now has."""
    request.session.modified = True
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"seconds_left": settings.SESSION_COOKIE_AGE})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    return redirect(back)
