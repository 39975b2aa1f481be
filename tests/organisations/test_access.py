"""Who does what with organisations: everyone reads the directory; a provider changes its own
profile, the regional commissioner any of the region and adds new ones; the rest get a 404."""

from __future__ import annotations

import pytest

# persona → (may edit the charity, may edit the company, may add an organisation)
RIGHTS = {
    "signed out": (False, False, False),
    "alice": (True, True, True),
    "root": (True, True, True),
    "bob": (False, False, False),
    "carol": (False, False, False),
    "dave": (True, False, False),
    "erin": (False, True, False),
    "frank": (False, False, False),
    "grace": (False, False, False),
    "heidi": (False, False, False),
    "nadia": (False, False, False),
}


@pytest.mark.parametrize("name", list(RIGHTS))
def test_each_persona_reads_the_directory_and_changes_only_what_they_may(cast, client_for, name):
    client = client_for(cast.everyone()[name])
    edit_charity, edit_company, add = RIGHTS[name]
    refused = 302 if name == "signed out" else 404  # signed out: asked to sign in first

    assert client.get("/organisations/").status_code == 200
    assert client.get(f"/organisations/{cast.charity.pk}/").status_code == 200
    assert client.get(f"/organisations/{cast.charity.pk}/edit/").status_code == (200 if edit_charity else refused)
    assert client.get(f"/organisations/{cast.company.pk}/edit/").status_code == (200 if edit_company else refused)
    assert client.get("/organisations/new/").status_code == (200 if add else refused)
    profile = client.get(f"/organisations/{cast.charity.pk}/").content.decode()
    assert ("Change this profile" in profile) == edit_charity
