"""Bidding partnerships: a lead and its members, formed to bid for one opportunity."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from stepchange.commissioning import sealed
from stepchange.commissioning.models.opportunities import Opportunity


class BiddingPartnership(models.Model):
    """A lead and its members, formed to bid for one opportunity.

    Names are not unique within an opportunity: refusing a name another partnership holds would
    tell a bidder that a rival is bidding. One partnership per lead per opportunity."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="partnerships")
    name = models.CharField(max_length=200)
    lead = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="partnerships_led")
    constitution = models.TextField(blank=True)
    bidding_protocol = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["opportunity", "name"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "lead"], name="one_partnership_per_lead"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commissioning:partnership", args=[self.pk])

    def active_members(self) -> models.QuerySet[PartnershipMember]:
        return self.members.filter(left_at__isnull=True).select_related("organisation")

    def confirmed_members(self) -> models.QuerySet[PartnershipMember]:
        return self.active_members().filter(confirmed_at__isnull=False)

    def documents_frozen(self, now: datetime.datetime | None = None) -> bool:
        """The constitution and bidding protocol freeze when the deadline of a stage the partnership
        submitted a bid to has passed: from then the commissioner may read them, and what they read
        is what the partnership bid with."""
        return self.bids.filter(sealed.unsealed_submitted_q(now)).exists()


class PartnershipMember(models.Model):
    """An organisation in a partnership: invited, then confirmed by the organisation itself.

    A member that leaves keeps its row (``left_at``); rejoining adds a new row, so the membership
    history of a partnership is its member rows in order.
    """

    partnership = models.ForeignKey(BiddingPartnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200)
    # The indicative share of the contract value, in per cent.
    share = models.DecimalField(max_digits=5, decimal_places=2)
    # The numbers the member bids under (checked by ``organisations.identifiers``), kept on the
    # membership so the award, the contract and the open data name it as it bid, whatever later
    # happens to the organisation's profile.
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    invited_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # The member's people on the bid: the person who formed the partnership (for the lead) or
    # confirmed the membership, and whoever the lead's team names. Only they see its bids.
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="bid_teams")

    class Meta:
        ordering = ["partnership", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(left_at__isnull=True),
                name="one_active_membership_per_organisation",
            ),
            models.CheckConstraint(condition=Q(share__gte=0) & Q(share__lte=100), name="member_share_is_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"

    @property
    def is_lead(self) -> bool:
        return self.organisation_id == self.partnership.lead_id

    @property
    def registered_numbers(self) -> str:
        """'charity 1099999, company 04567890', or '' when the member has neither."""
        from stepchange.organisations.identifiers import describe

        return describe(charity_number=self.charity_number, company_number=self.company_number)
