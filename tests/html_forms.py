"""What a browser would send from a page's own POST form: the one parser of HTML forms the tests use.

``page_form(html, path)`` reads the first form of the page that POSTs to the page itself (its
``action`` empty or ``path``) and gives its fields as a browser sends them untouched: text, hidden
and textarea values (less the one newline a browser drops after ``<textarea>``), checked boxes and
radios, and each select's selected options (a single select with none selected sends its first);
disabled fields, buttons, files and the CSRF token left out. None when the page has no such form.

``fill_empty_choices=True`` is for a form sent *as if filled in*: a select whose choice is empty
(Django's "Choose ..." option, selected on a new form) takes its first option with a value instead,
so that a new form's selects all carry something real.
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser

SKIPPED_INPUTS = ("submit", "button", "image", "reset", "file")


class PageForm(HTMLParser):
    def __init__(self, path: str, *, fill_empty_choices: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.fill_empty_choices = fill_empty_choices
        self.fields: dict[str, list[str]] = defaultdict(list)
        self.found = False
        self._inside = False
        self._select: str | None = None
        self._multiple = False
        self._first: str | None = None
        self._chosen = False
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._inside = not self.found and a.get("method", "get").lower() == "post"
            self._inside = self._inside and a.get("action", "") in ("", self.path)
            self.found = self.found or self._inside
            return
        if not self._inside:
            return
        if tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""
            return
        if "name" not in a or a["name"] == "csrfmiddlewaretoken" or "disabled" in a:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[a["name"]].append(a.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select":
            self._select, self._first, self._chosen = a["name"], None, False
            self._multiple = "multiple" in a
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]].append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea][-1] += data
        elif self._option is not None:
            self._option_text += data

    def _end_option(self) -> None:
        if self._option is None or self._select is None:
            return
        value, selected = self._option
        value = self._option_text.strip() if value is None else value
        self._option = None
        if self.fill_empty_choices and not value:
            return
        if self._first is None:
            self._first = value
        if selected:
            self.fields[self._select].append(value)
            self._chosen = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._end_option()
        elif tag == "form":
            self._inside = False
        elif tag == "textarea":
            if self._textarea is not None and self.fields[self._textarea][-1].startswith("\n"):
                self.fields[self._textarea][-1] = self.fields[self._textarea][-1][1:]
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self._end_option()
            # A browser sends a single select's first option when none is selected; a multiple
            # select then sends nothing (filled in, it takes its first real option too).
            if not self._chosen and self._first is not None and (self.fill_empty_choices or not self._multiple):
                self.fields[self._select].append(self._first)
            self._select = None


def page_form(html: str, path: str, *, fill_empty_choices: bool = False) -> dict[str, list[str]] | None:
    """The fields the page's own POST form sends (see the module's docstring), or None without one."""
    parser = PageForm(path, fill_empty_choices=fill_empty_choices)
    parser.feed(html)
    return dict(parser.fields) if parser.found else None
