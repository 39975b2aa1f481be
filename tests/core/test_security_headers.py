"""Every page is sent with headers that stop inline script, framing and referrer leaks."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.fixture_types import ClientFor
from tests.personas import PASSWORD, Cast


@pytest.mark.django_db
def test_pages_forbid_inline_script_framing_and_cross_site_referrers(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_templates_carry_no_inline_script(client: Client) -> None:
    body = client.get("/").content.decode()
    # Every <script> tag loads a file; none has a body.
    for chunk in body.split("<script")[1:]:
        tag, _, rest = chunk.partition(">")
        assert "src=" in tag
        assert rest.startswith("</script>")


# Permissions-Policy and caching ---------------------------------------------------------------------

DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def denied_features(response) -> set[str]:
    policy = response["Permissions-Policy"]
    return {part.strip().removesuffix("=()") for part in policy.split(",") if part.strip().endswith("=()")}


@pytest.mark.django_db
def test_every_kind_of_response_denies_camera_microphone_location_payment_and_usb(
    cast: Cast, client_for: ClientFor
) -> None:
    visitor, frank = client_for(None), client_for(cast.frank)
    responses = {
        "a public page": visitor.get("/"),
        "a page not found": visitor.get("/no-such-page/"),
        "a redirect to sign in": visitor.get("/account/two-factor/"),
        "a signed-in page": frank.get("/"),
        "a download": frank.get("/contracts.csv"),
        "a static file": visitor.get("/static/app.css"),
    }
    assert [r.status_code for r in responses.values()] == [200, 404, 302, 200, 200, 200]
    for what, response in responses.items():
        assert set(DENIED_FEATURES) <= denied_features(response), what


@pytest.mark.django_db
def test_nothing_sent_to_a_signed_in_person_is_kept_by_a_cache(cast: Cast, client_for: ClientFor) -> None:
    alice = client_for(cast.alice)
    for url in (
        "/",
        "/contracts/",
        "/contracts.csv",
        "/contracts.xlsx",
        "/reports/probation-share.xlsx?region=YH&at=2006-10-01",
        "/no-such-page/",
    ):
        response = alice.get(url)
        assert response["Cache-Control"] == "private, no-store", url


@pytest.mark.django_db
def test_signing_in_is_not_kept_by_a_cache(cast: Cast, client: Client) -> None:
    response = client.post("/account/sign-in/", {"username": "dave", "password": PASSWORD})

    assert response.status_code == 302 and response.cookies
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_public_pages_downloads_and_static_files_stay_cacheable(cast: Cast, client_for: ClientFor) -> None:
    visitor = client_for(None)
    for url in ("/", "/contracts.csv", "/reports/probation-share.csv?region=YH&at=2006-10-01"):
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url
    # A static file is the same for everybody, even when a signed-in browser sends its cookie.
    static = client_for(cast.alice).get("/static/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


# Methods no page takes ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_method_no_page_takes_is_refused_with_the_headers_and_reads_nothing(
    method: str, cast: Cast, client_for: ClientFor, django_assert_num_queries
) -> None:
    frank = client_for(cast.frank)
    # Refused before the session or the user is read: not one statement reaches the database.
    with django_assert_num_queries(0):
        response = getattr(frank, method)("/contracts/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert set(DENIED_FEATURES) <= denied_features(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/reports/", "/reports/probation-share/", "/reports/probation-share/definition/", "/reports/probation-share.csv"],
)
def test_the_report_pages_only_read_and_refuse_a_post(path: str, cast: Cast, client_for: ClientFor) -> None:
    alice = client_for(cast.alice)
    assert alice.get(path).status_code == 200
    refused = alice.post(path, {"region": "YH"})
    assert refused.status_code == 405
    assert refused["Allow"] == "GET, HEAD"
