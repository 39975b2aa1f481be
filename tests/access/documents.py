"""Documents in the access world's tenders (tests/access/tenders.py), one on each thing that has them:

opportunity  "published"  rt-sealed's specification (public);
             "draft"      the specification of a South Yorkshire draft (its managers only);
partnership  one constitution on each of the sealed consortium, Beacon's, Calder's, the runner-up
             and Tyne North (the North East's);
bid          one method statement on each bid of ``Tenders.bids`` (sealed like the bid).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from stepchange.commissioning import sealing
from stepchange.commissioning.models import (
    Bid,
    BidDocument,
    Opportunity,
    OpportunityDocument,
    PartnershipDocument,
)
from stepchange.organisations.models import Commissioner
from tests.access.tenders import Tenders

TEXT = b"A document of the access world.\n"


@dataclass
class Documents:
    opportunity: dict[str, OpportunityDocument]
    partnership: dict[str, PartnershipDocument]
    bid: dict[str, BidDocument]


def _file() -> dict[str, object]:
    return {
        "display_name": "document.txt",
        "file_format": "text",
        "content_type": "text/plain; charset=utf-8",
        "content": TEXT,
        "size": len(TEXT),
        "sha256": hashlib.sha256(TEXT).hexdigest(),
        "uploaded_at": timezone.now() - datetime.timedelta(days=1),
    }


def _bid_document(bid: Bid) -> BidDocument:
    """A bid's document, its bytes sealed like the bid's (commissioning/sealing.py)."""
    fields = _file()
    del fields["content"]
    document = BidDocument.objects.create(bid=bid, kind="method_statement", title="Method statement", **fields)
    sealing.seal_bid_document(document, TEXT)
    return document


def build_documents(tenders: Tenders, *, sypa: Commissioner) -> Documents:
    draft = Opportunity.objects.create(
        reference="sy-draft-documents",
        commissioner=sypa,
        title="A draft with documents",
        description="Housing advice on release",
        estimated_value=Decimal("50000.00"),
        duration_months=12,
        contract_start=datetime.date(2007, 4, 1),
        funding_source="main_grant",
    )
    opportunity = {
        name: OpportunityDocument.objects.create(
            opportunity=opp, kind="specification", title="Specification", **_file()
        )
        for name, opp in (("published", tenders.sealed), ("draft", draft))
    }
    partnership = {
        name: PartnershipDocument.objects.create(
            partnership=tenders.partnerships[name], kind="constitution", title="Constitution", **_file()
        )
        for name in ("sealed", "beacon", "calder", "runner-up", "tyne north")
    }
    bid = {name: _bid_document(b) for name, b in tenders.bids.items()}
    return Documents(opportunity, partnership, bid)
