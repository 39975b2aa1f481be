"""What the bulletin pages read, already scoped by ``access``."""

from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet

from stepchange.bulletins import access, sources
from stepchange.bulletins.models import Bulletin, Delivery, Entry
from stepchange.core.models import Region


def regions_with_bulletins() -> QuerySet[Region]:
    """The regions that have commissioners, so something to announce."""
    return Region.objects.filter(commissioners__isnull=False).distinct().order_by("name")


def archive_of(region: Region) -> QuerySet[Bulletin]:
    return access.bulletins_published().filter(region=region).order_by("-sent_at", "-id")


def grouped_entries(bulletin: Bulletin) -> list[tuple[str, list[Entry]]]:
    """The bulletin's items under the label of their kind, kinds in the sources' order."""
    labels = {source.key: source.label for source in sources.declared_sources()}
    order = {key: n for n, key in enumerate(labels)}
    groups: dict[str, list[Entry]] = {}
    for entry in sorted(bulletin.entries.all(), key=lambda e: (order.get(e.source, len(order)), e.published_at, e.pk)):
        groups.setdefault(entry.source, []).append(entry)
    return [(labels.get(key, key), entries) for key, entries in groups.items()]


def delivery_counts(bulletin: Bulletin) -> dict[str, int]:
    """How many of its messages are in each state (for the team's page)."""
    counts = Counter(Delivery.objects.filter(bulletin=bulletin).values_list("state", flat=True))
    # Failed, or handed to the mail server with no answer: for someone to look into
    # (``manage.py send_bulletins --uncertain``).
    counts["trouble"] = counts["failed"] + counts["sending"]
    return dict(counts)
