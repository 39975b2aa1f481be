"""Pages of contracts: list, detail, create and edit."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stepchange.contracts.access import contracts_visible_to


def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = contracts_visible_to(request.user).select_related("commissioner", "prime")
    return render(request, "contracts/list.html", {"contracts": contracts})
