"""The standing consortia an organisation is a current member of, on its profile: only those the
viewer may see (``consortia_visible_to``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from stepchange.consortia.access import consortia_visible_to
from stepchange.consortia.models import ConsortiumMember
from stepchange.organisations.profile_sections import Row, Section


def _consortia(user: Any, organisation: Any) -> list[Row]:
    members = (
        ConsortiumMember.objects.filter(
            organisation=organisation, left_on__isnull=True, consortium__in=consortia_visible_to(user)
        )
        .select_related("consortium")
        .order_by("consortium__name")
    )
    return [
        Row(
            m.consortium.name,
            reverse("consortia:detail", args=[m.consortium_id]),
            f"{'Lead member' if m.is_lead else 'Member'} ({m.role}), since {m.joined_on:%-d %B %Y}",
        )
        for m in members
    ]


SECTIONS = [Section(35, "Consortia", "No consortium that you may see.", _consortia)]
