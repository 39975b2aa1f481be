"""Templates ask the sealed-bid rule here and never state it themselves.

- ``{% load sealed_bids %}{% if stage|sealed_at:now %}``: the stage's bids are sealed at ``now``
  (without ``now``, at the moment of rendering);
- ``{% bid_sealed_from user bid now as hidden %}``: the bid is sealed from this person now.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template

from stepchange.commissioning import access, sealed
from stepchange.commissioning.models import Bid, Stage

register = template.Library()


@register.filter
def sealed_at(stage: Stage, now: datetime.datetime | None = None) -> bool:
    return sealed.sealed(stage, now or None)


@register.simple_tag
def bid_sealed_from(user: Any, bid: Bid, now: datetime.datetime | None = None) -> bool:
    return access.bid_sealed_from(user, bid, now or None)
