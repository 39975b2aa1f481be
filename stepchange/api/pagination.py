"""Pages of a list: ``?page=`` and ``?page_size=`` (50 unless asked, at most 200)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

PAGE_SIZE = 50
MOST_PER_PAGE = 200


class Pages(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MOST_PER_PAGE
