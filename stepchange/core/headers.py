"""Headers every response carries that Django's own security middleware does not set.

``Permissions-Policy`` turns off the browser features the service never uses (camera, microphone,
location, payment, USB, ...), so a script that got in somehow could not reach them either.

``Cache-Control: private, no-store`` goes on every response that may be personal: one to a request
carrying a session cookie (everyone signed in, and anyone part-way through signing in) and one that
sets a cookie. Neither a shared cache nor the browser then keeps a page or a download (a draft
return, a sealed bid's document, a contract list with unpublished rows) for the next person at the
same computer. Static files, which are the same for everybody, stay cacheable, and so do pages and
downloads sent to a signed-out visitor: they show only what is public.

The middleware is near the top of the list so that responses made by the middleware below it (a
redirect to HTTPS, the 503 page) carry the headers too. It never loads the user: a request's
session cookie is enough to know it may be personal, and so the 503 page works with the database
down.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PRIVATE = "private, no-store"


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``{"camera": []}`` as ``camera=()``: an empty list denies the feature to every origin."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in features.items())


def may_be_personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether a response may hold what only this person should see, and so must not be stored."""
    if request.path.startswith(settings.STATIC_URL):
        return False
    return settings.SESSION_COOKIE_NAME in request.COOKIES or bool(response.cookies)


class PrivacyHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Permissions-Policy"] = self.policy
        if may_be_personal(request, response):
            # Replaces a view's own "public" (a published document fetched while signed in): the
            # page around it and its headers are this person's.
            response["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        return response
