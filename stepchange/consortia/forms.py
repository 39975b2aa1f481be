"""The forms of consortia: the consortium's texts, a member joining, a member leaving, a
partnership linked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from stepchange.commissioning.models import BiddingPartnership
from stepchange.core.forms import Form, UKDateField, VersionedForm
from stepchange.organisations.models import Listing, Organisation, Sector


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=20000, help_text=help_text, widget=forms.Textarea(attrs={"rows": 6})
    )


class ConsortiumForm(VersionedForm):
    """``version`` is 0 for a new consortium."""

    name = forms.CharField(label="Name", max_length=200)
    formed_on = UKDateField(label="Formed on (optional)", required=False)
    purpose = _text("Purpose (optional)", "What the consortium is for and whom it serves")
    constitution = _text("Constitution (optional)", "How it is constituted: membership, decisions, leaving")
    bidding_protocol = _text(
        "Joint bidding protocol (optional)", "How the members decide to bid, who leads and how the work is shared"
    )
    governance = _text("Governance (optional)", "Who chairs, how often it meets, how disputes are settled")

    def texts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            k: data[k].strip() if isinstance(data[k], str) else data[k]
            for k in ("name", "purpose", "constitution", "bidding_protocol", "governance", "formed_on")
        }


class MemberForm(Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        help_text="Voluntary and community organisations listed in the directory",
    )
    role = forms.CharField(label="Role in the consortium", max_length=200, help_text="For example, housing partner")
    is_lead = forms.BooleanField(label="Lead member", required=False)
    joined_on = UKDateField(label="Joined on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            sector=Sector.VCS, listing=Listing.LISTED
        ).order_by("name")


class LeaveForm(Form):
    left_on = UKDateField(label="Left on")


class LinkForm(Form):
    partnership: forms.ModelChoiceField[BiddingPartnership] = forms.ModelChoiceField(
        label="Bidding partnership", queryset=BiddingPartnership.objects.none()
    )

    def __init__(self, *args: Any, partnerships: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships  # type: ignore[attr-defined]
        self.fields["partnership"].label_from_instance = lambda p: f"{p.name} ({p.opportunity.title})"  # type: ignore[attr-defined]
