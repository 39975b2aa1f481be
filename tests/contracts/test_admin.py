"""The Django admin for contracts is for the superuser only; everyone else is sent to sign in."""

from tests.factories import ContractFactory


def test_only_root_reaches_the_contract_admin(cast, client_for):
    contract = ContractFactory.create(commissioner=cast.sypa)
    url = f"/django-admin/contracts/contract/{contract.pk}/change/"

    assert client_for(cast.root).get(url).status_code == 200
    assert client_for(cast.root).get("/django-admin/contracts/maingrant/").status_code == 200
    for name in ("signed out", "alice", "bob"):
        response = client_for(cast.everyone()[name]).get(url)
        assert response.status_code == 302, name
        assert "/django-admin/login/" in response["Location"]
