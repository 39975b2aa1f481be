"""Moving through a page with the keyboard alone, as a person who uses no mouse does.

Every step presses a key and then asks the page where focus went; each element that receives focus
from the keyboard must show it (WCAG 2.4.7 Focus Visible): a computed outline at least 2px wide and
not transparent (the browser's own 1px ring is not enough), or a box-shadow (GOV.UK's yellow and
black), on the element or (for GOV.UK radios and checkboxes, whose input is invisible) on the
``::before`` of its label.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

# Where focus is, whether it matches a CSS selector, and whether it can be seen.
_FOCUS_JS = """
(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body", matches: false, visible: false, label: "<body>"};
  const painted = (style) => {
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
      && !/rgba\\(\\d+, \\d+, \\d+, 0\\)|transparent/.test(style.outlineColor);
    return outline || (style.boxShadow && style.boxShadow !== "none");
  };
  let visible = painted(getComputedStyle(el));
  if (!visible && (el.type === "radio" || el.type === "checkbox") && el.labels && el.labels.length) {
    visible = painted(getComputedStyle(el.labels[0], "::before"));
  }
  const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  const label = `<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}${el.getAttribute("href") ? " href=" + el.getAttribute("href") : ""}> ${text}`;
  return {tag: el.tagName.toLowerCase(), id: el.id, matches: selector ? el.matches(selector) : false, visible, label};
}
"""


def focused(page: Page, selector: str = "") -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(_FOCUS_JS, selector)
    return info


def press(page: Page, key: str) -> dict[str, Any]:
    """Press a key that moves focus, and check the element it lands on shows it has focus."""
    page.keyboard.press(key)
    info = focused(page)
    assert info["visible"], f"focus is not visible on {info['label']} at {page.url}"
    return info


def tab_to(page: Page, selector: str, *, limit: int = 80, backwards: bool = False) -> dict[str, Any]:
    """Tab (or Shift+Tab) until the focused element matches ``selector``; every stop must show focus.

    Stays put if focus is already there. Fails if the element is not reached within ``limit``
    presses: it is then out of the tab order, a defect for a person using a keyboard.
    """
    key = "Shift+Tab" if backwards else "Tab"
    info = focused(page, selector)
    if info["matches"]:
        return info
    visited = [info["label"]]
    for _ in range(limit):
        page.keyboard.press(key)
        info = focused(page, selector)
        visited.append(info["label"])
        if info["tag"] == "body":
            continue  # past the last element, focus is in the browser's own controls, then wraps
        assert info["visible"], f"focus is not visible on {info['label']} at {page.url}"
        if info["matches"]:
            return info
    raise AssertionError(
        f"{selector} not reached with {key} in {limit} presses at {page.url}; went through:\n" + "\n".join(visited)
    )


def follow(page: Page, selector: str, **kwargs: Any) -> None:
    """Tab to a link or button and press Enter, then wait for the page it leads to."""
    tab_to(page, selector, **kwargs)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def type_into(page: Page, selector: str, text: str, **kwargs: Any) -> None:
    """Tab to a text field, clear what is in it and type ``text``, key by key."""
    tab_to(page, selector, **kwargs)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def skip_to_main_content(page: Page) -> None:
    """The first Tab on a page lands on the skip link; Enter takes focus to the main content, so the
    next Tab reaches the first thing inside <main> rather than the header and navigation."""
    page.keyboard.press("Tab")
    info = focused(page, "a.govuk-skip-link")
    assert info["matches"], f"the first Tab reached {info['label']}, not the skip link, at {page.url}"
    assert info["visible"], f"the skip link does not show focus at {page.url}"
    page.keyboard.press("Enter")
    # Focus moves when the browser has followed the link, which may be after Enter returns.
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main-content'")
    info = press(page, "Tab")
    assert page.evaluate("() => document.getElementById('main-content').contains(document.activeElement)"), (
        f"after the skip link, Tab reached {info['label']}, outside the main content, at {page.url}"
    )
