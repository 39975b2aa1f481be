"""Standing consortia: voluntary and community organisations that bid together, tender after
tender, under one constitution (the MOVE consortium in Leeds, for instance).

A consortium is not tied to an opportunity. Its members join and leave on dates; a member is a
lead member or not. For a given tender it forms a commissioning ``BiddingPartnership`` as any
bidders do, and the partnership is linked to the consortium (``ConsortiumPartnership``); what of
that partnership and its bids anyone sees is still commissioning's rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Consortium(models.Model):
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, unique=True)
    purpose = models.TextField(blank=True)
    constitution = models.TextField(blank=True)
    bidding_protocol = models.TextField("joint bidding protocol", blank=True)
    governance = models.TextField(blank=True)
    formed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "consortia"

    def __str__(self) -> str:
        return self.name


class ConsortiumMember(models.Model):
    """One organisation's membership, from the day it joined to the day it left (none: still in).
    An organisation that leaves and joins again has a second membership."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200)
    is_lead = models.BooleanField("lead member", default=False)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-is_lead", "organisation__name", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "organisation"],
                condition=Q(left_on__isnull=True),
                name="one_current_consortium_membership",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="consortium_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.consortium}"


class ConsortiumPartnership(models.Model):
    """A bidding partnership the consortium formed for one opportunity."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="partnership_links")
    partnership = models.OneToOneField(
        "commissioning.BiddingPartnership", on_delete=models.CASCADE, related_name="consortium_link"
    )
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["-linked_at"]

    def __str__(self) -> str:
        return f"{self.partnership} for {self.consortium}"
