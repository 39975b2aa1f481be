"""What every API view shares: conditional GET with ETags, and the one error shape."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework import generics
from rest_framework.request import Request


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


class Conditional:
    """A 200 answer to a GET carries the ETag of its body; a GET whose If-None-Match names it is
    answered 304 with no body. The body depends on whose token it is, so it varies by it."""

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        patch_vary_headers(response, ("Authorization",))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = etag_of(response.content)
        response["ETag"] = etag
        wanted = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
        if etag in wanted or "*" in wanted:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            patch_vary_headers(not_modified, ("Authorization",))
            return not_modified
        return response


def person(request: Request) -> Any:
    """The token's person, or the anonymous user: never a session's."""
    return request.user


class ListView(Conditional, generics.ListAPIView):  # type: ignore[type-arg]
    pass


class DetailView(Conditional, generics.RetrieveAPIView):  # type: ignore[type-arg]
    pass
