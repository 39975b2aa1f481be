"""The returns' status report names who is late with a return today: it is for people signed in.
Someone signed out is sent to sign in, for the page and every download, and the list of reports
does not offer it to them."""

from __future__ import annotations

from django.urls import reverse


def test_the_returns_status_report_needs_sign_in(cast, client_for):
    signed_out = client_for(None)
    for url in ("/reports/returns-status/", *(f"/reports/returns-status.{ext}" for ext in ("csv", "json", "xlsx"))):
        response = signed_out.get(url, {"year": "2006-07"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign-in")), url
        assert client_for(cast.alice).get(url, {"year": "2006-07"}).status_code == 200, url
    assert "returns-status" not in signed_out.get("/reports/").content.decode()
    assert "returns-status" in client_for(cast.alice).get("/reports/").content.decode()
    # The published figures stay open to everyone.
    assert signed_out.get("/reports/probation-share/").status_code == 200


def test_a_query_too_long_to_come_back_to_signs_in_to_the_report_without_it(client_for):
    long_query = {"year": "2006-07", "x": "y" * 20_000}
    for url in ("/reports/returns-status/", "/reports/returns-status.csv", "/reports/returns-status/definition/"):
        response = client_for(None).get(url, long_query)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('accounts:sign-in')}?next={url}", url
