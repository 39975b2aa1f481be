"""The keyboard helpers' focus check notices an element that hides its focus, so a journey that
passes it has really seen focus on every stop."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

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
