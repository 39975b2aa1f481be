"""Reading the home page's to-do lists in the view tests: one list's section, and its links."""

from __future__ import annotations

import re

from django.test import Client


def home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, key: str) -> str | None:
    """The HTML of the to-do list ``key`` (its ``todo-<key>`` section), or None when not shown."""
    found = re.search(rf'<section[^>]*id="todo-{re.escape(key)}".*?</section>', page, re.DOTALL)
    return found.group(0) if found else None


def links(html: str | None) -> dict[str, str]:
    """Each link of a section: its text (whitespace collapsed) to its address."""
    assert html is not None, "the list is not on the page"
    return {
        " ".join(re.sub(r"<[^>]+>", "", text).split()).replace("&#x27;", "'").replace("&amp;", "&"): href
        for href, text in re.findall(r'<a class="govuk-link" href="([^"]+)">(.*?)</a>', html, re.DOTALL)
    }
