"""``{% session_seconds_left as seconds %}``: what the session-timeout warning counts down from."""

from __future__ import annotations

from typing import Any

from django import template

from stepchange.core.session_timeout import seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def session_seconds_left(context: dict[str, Any]) -> int | None:
    request = context.get("request")
    return seconds_left(request) if request is not None else None
