"""The service navigation: the same few places for everyone, and the work of each role."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from stepchange.accounts.access import may_administer_people
from stepchange.accounts.models import Role
from stepchange.core import access
from stepchange.manage.access import may_manage_grants, may_use_manage
from stepchange.returns.access import may_see_returns


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    entries = [
        ("Home", reverse("core:home")),
        ("Opportunities", reverse("commissioning:list")),
        ("Reports", reverse("reports:index")),
    ]
    if access.is_signed_in(user):
        entries.append(("Contracts", reverse("contracts:list")))
        entries.append(("Organisations", reverse("organisations:list")))
    if access.has_role(user, Role.EVALUATOR):
        # An evaluator's bids to declare on and score, once each stage's deadline has passed.
        entries.append(("Evaluations", reverse("commissioning:evaluations")))
    if may_see_returns(user):
        entries.append(("Returns", reverse("returns:rounds")))
    if may_administer_people(user):
        entries.append(("People", reverse("accounts:people")))
    if may_use_manage(user):
        entries.append(("Manage", reverse("core:manage")))
    elif may_manage_grants(user):
        # A probation contracts manager keeps their own area's main grants.
        entries.append(("Grants", reverse("manage:grants")))
    path = request.path
    # One entry is the current page's: the longest that the path starts with (Evaluations, not
    # Opportunities, for /opportunities/evaluations/), so only one link says aria-current="page".
    matching = [url for _, url in entries if (path == url if url == "/" else path.startswith(url))]
    current = max(matching, key=len, default=None)
    return [NavItem(label=label, url=url, active=url == current) for label, url in entries]
