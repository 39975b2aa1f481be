"""Who may see and do what with bulletins.

- Everyone, signed out included: a region's sent bulletins (the archive, each bulletin, the feed)
  and the page to subscribe. Drafts are never public.
- A subscriber: their own subscription, through the secret link in each message (no account);
  whoever holds the link may change the choices or unsubscribe, as with any mailing list.
- The regional team (a regional commissioner) of a region: its digests, drafted, edited and sent;
  a superuser every region's. Nobody else, and nobody reads the list of subscribers' addresses on
  a page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.bulletins.models import Bulletin, Subscriber
from stepchange.core import access
from stepchange.core.models import Region


def regions_whose_bulletins_are_run_by(user: Any) -> QuerySet[Region]:
    """The regions whose digests this person drafts and sends: a regional commissioner their own,
    a superuser every region."""
    if access.is_superuser(user):
        return Region.objects.all()
    if access.is_regional_commissioner(user) and (region_id := access.user_region_id(user)) is not None:
        return Region.objects.filter(pk=region_id)
    return Region.objects.none()


def sends_own_regions_digest(user: Any) -> bool:
    """A regional commissioner of a region: its digests are part of their own work (a superuser
    may send any region's, but none is theirs to do)."""
    return access.is_regional_commissioner(user) and access.user_region_id(user) is not None


def may_run_bulletins(user: Any, region: Region) -> bool:
    return regions_whose_bulletins_are_run_by(user).filter(pk=region.pk).exists()


def bulletins_managed_by(user: Any) -> QuerySet[Bulletin]:
    """Drafts and sent bulletins of the regions the person runs the bulletins of."""
    return Bulletin.objects.filter(region__in=regions_whose_bulletins_are_run_by(user))


def bulletins_published() -> QuerySet[Bulletin]:
    """What everyone reads: the bulletins sent. A draft is the team's until it is sent."""
    return Bulletin.objects.filter(sent_at__isnull=False)


def subscription_of_link(token: str) -> QuerySet[Subscriber]:
    """The subscription a message's link opens: the one holding the secret, if it was confirmed.
    An unconfirmed address has no messages, so it has no such link."""
    return Subscriber.objects.filter(token=token, confirmed_at__isnull=False)
