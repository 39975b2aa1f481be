"""The checks the browser tests rely on can fail: the keyboard helpers notice an element that hides
its focus, and axe-core notices a field without a label. A journey or a crawl that passes them has
really seen focus on every stop and a page without violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import axe_violations
from tests.browser.keyboard import tab_to


@pytest.mark.django_db(transaction=True)
def test_a_field_whose_focus_style_is_removed_fails_the_check(live_server, page: Page) -> None:
    page.goto(live_server.url + "/account/sign-in/")
    tab_to(page, "#id_username")  # the GOV.UK focus style: a yellow outline and a black shadow
    page.evaluate(
        """() => {
          const field = document.getElementById("id_password");
          field.style.setProperty("outline", "none", "important");
          field.style.setProperty("box-shadow", "none", "important");
        }"""
    )
    with pytest.raises(AssertionError, match="focus is not visible on <input id=id_password>"):
        tab_to(page, "#id_password")


@pytest.mark.django_db(transaction=True)
def test_a_field_that_loses_its_label_fails_the_axe_check(live_server, page: Page) -> None:
    page.goto(live_server.url + "/account/sign-in/")
    assert axe_violations(page) == []
    page.evaluate("() => document.querySelector('label[for=id_username]').removeAttribute('for')")
    assert "label" in {violation["id"] for violation in axe_violations(page)}
