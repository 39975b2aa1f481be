"""Which HTTP methods the service takes: GET, HEAD and OPTIONS to read, POST to change.

No page takes PUT, PATCH or DELETE, but left to themselves plain function views answer them as a
GET (200, the page) and Django's form views take a PUT as a POST. The access matrix
(tests/access/test_matrix.py) asks that such a request be refused; it is refused here, once,
before any view runs, rather than in every view.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

TAKEN = ("GET", "HEAD", "OPTIONS", "POST")


class RefuseUntakenMethodsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in TAKEN:
            return HttpResponseNotAllowed(TAKEN)
        return self.get_response(request)
