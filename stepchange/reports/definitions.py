"""Each report's definition, as docs/figures.md gives it, for its page on the service.

docs/figures.md is the one written definition of every figure; docs/ is not served, so its section
for a report is read here and turned into GOV.UK markup. Only what that file uses is understood:
headings, paragraphs, bulleted and numbered lists, tables, ``code``, **bold** and links. Every
piece of text is escaped first, so nothing in the file can add markup of its own. A link to
another report's section goes to that report's definition page; other links within the file
become plain text, and links out of it are kept only if they are to https addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FIGURES_MD = Path(settings.BASE_DIR) / "docs" / "figures.md"


@dataclass(frozen=True)
class Definition:
    name: str
    html: SafeString
    source: str  # where it is written, e.g. docs/figures.md#probation-share


def _sections(text: str) -> dict[str, str]:
    """The level-two sections of the file, by heading, each without its heading line."""
    out: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            if current is not None:
                out[current] = "\n".join(lines)
            current, lines = line[3:].strip(), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        out[current] = "\n".join(lines)
    return out


def _inline(text: str, report_names: frozenset[str]) -> str:
    """Escape, then mark up code, bold and links (in that order, so code is left as written)."""
    pieces = re.split(r"(`[^`]*`)", text)
    out = []
    for piece in pieces:
        if piece.startswith("`") and piece.endswith("`") and len(piece) > 1:
            out.append(f'<code class="app-code">{escape(piece[1:-1])}</code>')
            continue
        html = str(escape(piece))
        html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)

        def link(match: re.Match[str]) -> str:
            label, target = match.group(1), match.group(2)
            if target.startswith("#") and target[1:] in report_names:
                href = reverse("reports:definition", args=[target[1:]])
                return f'<a class="govuk-link" href="{href}">{label}</a>'
            if target.startswith("https://"):
                return f'<a class="govuk-link" href="{target}">{label}</a>'
            return label

        out.append(re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", link, html))
    return "".join(out)


def _table(rows: list[str], names: frozenset[str]) -> str:
    def cells(row: str) -> list[str]:
        return [cell.strip() for cell in row.strip().strip("|").split("|")]

    head, body = cells(rows[0]), [cells(r) for r in rows[2:]]
    parts = ['<table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">']
    parts += [f'<th scope="col" class="govuk-table__header">{_inline(c, names)}</th>' for c in head]
    parts.append('</tr></thead><tbody class="govuk-table__body">')
    for row in body:
        parts.append('<tr class="govuk-table__row">')
        parts += [f'<td class="govuk-table__cell">{_inline(c, names)}</td>' for c in row]
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def render(markdown: str, report_names: frozenset[str]) -> str:
    """The subset of Markdown docs/figures.md uses, as GOV.UK markup."""
    blocks: list[str] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("### "):
            blocks.append(f'<h3 class="govuk-heading-s">{_inline(line[4:].strip(), report_names)}</h3>')
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            blocks.append(_table(rows, report_names))
        elif re.match(r"(- |\d+\. )", line):
            numbered = not line.startswith("- ")
            items: list[str] = []
            while i < len(lines) and lines[i].strip():
                if re.match(r"(- |\d+\. )", lines[i]):
                    items.append(re.sub(r"^(- |\d+\. )", "", lines[i]))
                else:
                    items[-1] += " " + lines[i].strip()
                i += 1
            tag, kind = ("ol", "number") if numbered else ("ul", "bullet")
            body = "".join(f"<li>{_inline(item, report_names)}</li>" for item in items)
            blocks.append(f'<{tag} class="govuk-list govuk-list--{kind}">{body}</{tag}>')
        else:
            para = []
            while i < len(lines) and lines[i].strip() and not re.match(r"(- |\d+\. |\||### )", lines[i]):
                para.append(lines[i].strip())
                i += 1
            blocks.append(f'<p class="govuk-body">{_inline(" ".join(para), report_names)}</p>')
    return "\n".join(blocks)


@lru_cache(maxsize=1)
def _file_sections() -> dict[str, str]:
    return _sections(FIGURES_MD.read_text(encoding="utf-8"))


def definition_of(name: str, report_names: frozenset[str]) -> Definition | None:
    section = _file_sections().get(name)
    if section is None:
        return None
    html = render(section, report_names)
    return Definition(name=name, html=mark_safe(html), source=f"docs/figures.md#{name}")  # noqa: S308 -- escaped above
