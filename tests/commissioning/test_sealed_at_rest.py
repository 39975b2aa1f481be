"""Sealed in the database, not only on the pages: the superuser and the database are the attackers.

Dave's partnership bids with a distinctive answer, price and document. Before the deadline no
column of any table holds them in plain text, read with raw SQL; the superuser's pages and the
Django admin show none of them. The service decrypts only for ``access.bids_openable_by``: the bid
team at any time; after the deadline the commissioner's managers and an evaluator who declared no
conflict. A ciphertext moved onto another row does not open; a wrong master key fails, naming it.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from stepchange.commissioning import sealing, services
from stepchange.commissioning.models import Bid, BidDocument, OpportunityKey, Stage
from stepchange.core.models import AuditEvent
from tests.commissioning.files import pdf, upload
from tests.commissioning.world import HOUR, build_tender, draft_opportunity, second_bidder
from tests.factories import UserFactory

ANSWER = "Quokka-lantern outreach from the Goole hub, 7741"
PRICE = Decimal("198765.43")
DOCUMENT_MARK = b"ZEBRAFINCH-3391 method statement"
NEEDLES = (ANSWER, "Quokka-lantern", "198765.43", "198765,43", "198,765", DOCUMENT_MARK.decode())


@pytest.fixture
def tender(cast):
    tender = build_tender(cast, submit=False)
    tender.bid = services.bid_save(
        actor=cast.dave,
        partnership=tender.partnership,
        stage=tender.stage1,
        answers={"1": ANSWER},
        price=PRICE,
        now=tender.start + 3 * HOUR,
    )
    tender.bid = services.bid_submit(actor=cast.dave, bid=tender.bid, now=tender.start + 3 * HOUR)
    content = pdf(DOCUMENT_MARK.decode())
    assert DOCUMENT_MARK in content  # so the search below can find it if it is stored in the clear
    tender.document = services.bid_document_add(
        actor=cast.dave,
        bid=tender.bid,
        kind="method_statement",
        title="Method statement",
        upload=upload("method.pdf", content),
        now=tender.start + 3 * HOUR,
    )
    return tender


def _as_text(value: object) -> str:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("latin-1")
    return str(value)


def plaintext_in_database() -> list[str]:
    """Every (table, needle) where a column of any table, read with raw SQL, holds a needle."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- table names from the schema
            for row in cursor.fetchall():
                text = " ".join(_as_text(value) for value in row)
                found += [f"{table}: {needle}" for needle in NEEDLES if needle in text]
    return found


def test_before_the_deadline_no_table_holds_the_answer_price_or_document(cast, tender):
    assert plaintext_in_database() == []
    # The bid row holds only ciphertext: a nonce, the sealed JSON and its tag.
    raw = bytes(Bid.objects.values_list("sealed", flat=True).get(pk=tender.bid.pk))
    assert len(raw) > sealing.NONCE_BYTES + 16 and b"answers" not in raw
    key = OpportunityKey.objects.get(opportunity=tender.opportunity)
    assert key.master_key_id == "local-1" and len(bytes(key.wrapped_key)) == sealing.NONCE_BYTES + 32 + 16
    # ...which the team opens.
    assert sealing.open_bid(tender.bid, reader=cast.dave).answers == {"1": ANSWER}
    assert sealing.open_bid(tender.bid, reader=tender.wendy).price == PRICE


def test_the_superusers_pages_and_the_admin_show_none_of_it(cast, client_for, tender):
    root = client_for(cast.root)
    bid, document = tender.bid, tender.document
    for sealed_page in (
        reverse("commissioning:bid", args=[bid.pk]),
        reverse("commissioning:bid-document", args=[bid.pk, document.pk]),
        reverse("commissioning:partnership", args=[tender.partnership.pk]),
    ):
        assert root.get(sealed_page).status_code == 404, sealed_page
    pages = [
        reverse("commissioning:detail", args=[tender.opportunity.reference]),
        reverse("commissioning:audit", args=[tender.opportunity.reference]),
        reverse("commissioning:evaluations"),
        "/django-admin/",
    ]
    index = root.get("/django-admin/")
    assert index.status_code == 200
    links = _admin_links(index.content.decode())
    assert "/django-admin/accounts/user/" in links
    pages += sorted(links)
    for page in pages:
        response = root.get(page)
        assert response.status_code == 200, page
        text = response.content.decode()
        assert not [needle for needle in NEEDLES if needle in text], page


def _admin_links(html: str) -> set[str]:
    import re

    return {href for href in re.findall(r'href="(/django-admin/[a-z_]+/[a-z_]+/)"', html)}


def test_after_the_deadline_the_right_people_read_it_and_nobody_else(cast, tender):
    before, after = tender.stage1.deadline - HOUR, tender.after_stage1
    bid, document = tender.bid, tender.document
    for outsider in (cast.alice, cast.root, cast.heidi, cast.erin):
        with pytest.raises(sealing.NotOpenable):
            sealing.open_bid(bid, reader=outsider, now=before)
        with pytest.raises(sealing.NotOpenable):
            sealing.open_bid_document(document, reader=outsider, now=before)
    assert sealing.open_bid(bid, reader=cast.alice, now=after).price == PRICE
    assert sealing.open_bid(bid, reader=cast.root, now=after).answer(1) == ANSWER  # as a manager of every commissioner
    assert DOCUMENT_MARK in sealing.open_bid_document(document, reader=cast.alice, now=after)
    # The evaluator only once they have declared no conflict.
    with pytest.raises(sealing.NotOpenable):
        sealing.open_bid(bid, reader=cast.heidi, now=after)
    services.conflict_declare(actor=cast.heidi, bid=bid, has_conflict=False, now=after)
    assert sealing.open_bid(bid, reader=cast.heidi, now=after).answer(1) == ANSWER
    assert DOCUMENT_MARK in sealing.open_bid_document(document, reader=cast.heidi, now=after)
    # Never another provider, even one of a member organisation who was never named on the bid.
    for nobody in (cast.erin, cast.frank, UserFactory.create(username="nadia", organisation=tender.womens_centre)):
        with pytest.raises(sealing.NotOpenable):
            sealing.open_bid(bid, reader=nobody, now=after)
    assert sealing.open_bids([bid], reader=cast.erin, now=after) == {}


def test_after_the_deadline_the_commissioner_reads_the_bid_page(cast, client_for, tender):
    Stage.objects.filter(pk=tender.stage1.pk).update(deadline=tender.start - HOUR)
    page = client_for(cast.alice).get(reverse("commissioning:bid", args=[tender.bid.pk])).content.decode()
    assert ANSWER in page and "£198,765.43" in page
    download = client_for(cast.alice).get(
        reverse("commissioning:bid-document", args=[tender.bid.pk, tender.document.pk])
    )
    assert download.status_code == 200 and DOCUMENT_MARK in download.content


def test_a_ciphertext_moved_to_another_bid_does_not_open(cast, tender):
    harry, hope_bid = second_bidder(cast, tender)
    after = tender.after_stage1
    assert sealing.open_bid(hope_bid, reader=cast.alice, now=after).answer(1) == "Outreach."
    Bid.objects.filter(pk=hope_bid.pk).update(sealed=tender.bid.sealed)
    hope_bid.refresh_from_db()
    with pytest.raises(sealing.SealBroken, match=f"Bid {hope_bid.pk} does not open"):
        sealing.open_bid(hope_bid, reader=cast.alice, now=after)
    # A document's bytes likewise: moved onto another document of another bid.
    other = services.bid_document_add(
        actor=harry,
        bid=hope_bid,
        kind="budget",
        title="Budget",
        upload=upload("budget.pdf", pdf("Budget")),
        now=tender.start + 2 * HOUR,
    )
    BidDocument.objects.filter(pk=other.pk).update(sealed_content=tender.document.sealed_content)
    other.refresh_from_db()
    with pytest.raises(sealing.SealBroken, match=f"Bid document {other.pk} does not open"):
        sealing.open_bid_document(other, reader=cast.alice, now=after)


def test_a_wrong_or_missing_master_key_fails_clearly(cast, tender):
    opportunity = tender.opportunity.pk
    with (
        override_settings(BID_SEALING_KEYS=[("local-1", b"w" * 32)]),
        pytest.raises(sealing.SealBroken, match=rf"'local-1'.*does not open the bid key of opportunity {opportunity}"),
    ):
        sealing.open_bid(tender.bid, reader=cast.dave)
    with (
        override_settings(BID_SEALING_KEYS=[("2027-01", b"n" * 32)]),
        pytest.raises(sealing.SealBroken, match="wrapped by master key 'local-1', which is not in BID_SEALING_KEYS"),
    ):
        sealing.open_bid(tender.bid, reader=cast.dave)


def test_rotation_rewraps_every_key_so_the_old_master_key_can_go(cast, tender, settings):
    harry, hope_bid = second_bidder(cast, tender)
    old = settings.BID_SEALING_KEYS[0]
    settings.BID_SEALING_KEYS = [("2027-01", b"n" * 32), old]
    out = io.StringIO()
    call_command("rotate_bid_keys", stdout=out)
    assert "1 opportunity keys re-wrapped under master key '2027-01', 0 already under it" in out.getvalue()
    assert set(OpportunityKey.objects.values_list("master_key_id", flat=True)) == {"2027-01"}
    event = AuditEvent.objects.get(action="opportunity_key_rewrap")
    assert event.after is not None
    assert (event.before, event.after["master_key_id"]) == ({"master_key_id": "local-1"}, "2027-01")
    settings.BID_SEALING_KEYS = [("2027-01", b"n" * 32)]  # the old key taken out of the environment
    assert sealing.open_bid(tender.bid, reader=cast.dave).answer(1) == ANSWER
    assert sealing.open_bid(hope_bid, reader=harry).answer(1) == "Outreach."
    call_command("rotate_bid_keys", stdout=out)
    assert "0 opportunity keys re-wrapped under master key '2027-01', 1 already under it" in out.getvalue()


def test_rotation_is_all_or_nothing(cast, tender, settings):
    from tests.commissioning.world import t0

    old = settings.BID_SEALING_KEYS[0]
    # A second opportunity whose key was wrapped by a master key since lost.
    settings.BID_SEALING_KEYS = [("lost", b"l" * 32)]
    lost = draft_opportunity(
        cast,
        reference="second",
        title="Second",
        description="Mentoring.",
        estimated_value=Decimal("1000"),
        contract_start=(t0() + datetime.timedelta(days=60)).date(),
        funding_source="new_investment",
        funder="Someone",
    )
    sealing._opportunity_key(lost.pk)  # made as its first bid would make it
    settings.BID_SEALING_KEYS = [("2027-01", b"n" * 32), old]
    with pytest.raises(CommandError, match=r"wrapped by master key 'lost'.*Nothing was changed"):
        call_command("rotate_bid_keys", stdout=io.StringIO())
    assert OpportunityKey.objects.get(opportunity=tender.opportunity).master_key_id == "local-1"
    assert OpportunityKey.objects.get(opportunity=lost).master_key_id == "lost"


def test_a_new_person_of_a_member_sees_nothing_of_the_bid_until_the_lead_names_them(cast, client_for, tender):
    nina = UserFactory.create(username="nina", role="provider", organisation=tender.womens_centre)
    member = tender.partnership.active_members().get(organisation=tender.womens_centre)
    page = client_for(nina).get(reverse("commissioning:partnership", args=[tender.partnership.pk])).content.decode()
    assert "Stage 1: Outline" not in page and "198,765" not in page
    assert client_for(nina).get(reverse("commissioning:bid", args=[tender.bid.pk])).status_code == 404
    with pytest.raises(sealing.NotOpenable):
        sealing.open_bid(tender.bid, reader=nina)
    # Wendy (of the member) may not name her; Dave (the lead's team) may.
    with pytest.raises(PermissionDenied):
        services.bid_team_add(actor=tender.wendy, member=member, person=nina)
    team_url = reverse("commissioning:bid-team", args=[tender.partnership.pk])
    wendy = client_for(tender.wendy)
    assert wendy.get(team_url).status_code == 200  # she is on the bid, so sees who else is
    assert wendy.post(team_url, {"action": "add", "member": member.pk, "person": nina.pk}).status_code == 404
    assert client_for(nina).get(team_url).status_code == 404
    dave = client_for(cast.dave)
    team_page = dave.get(reverse("commissioning:bid-team", args=[tender.partnership.pk])).content.decode()
    assert "Name someone of Riverside Women&#x27;s Centre on the bid" in team_page
    dave.post(
        reverse("commissioning:bid-team", args=[tender.partnership.pk]),
        {"action": "add", "member": member.pk, "person": nina.pk},
    )
    assert sealing.open_bid(tender.bid, reader=nina).answer(1) == ANSWER
    page = client_for(nina).get(reverse("commissioning:partnership", args=[tender.partnership.pk])).content.decode()
    assert "£198,765.43" in page
    dave.post(
        reverse("commissioning:bid-team", args=[tender.partnership.pk]),
        {"action": "remove", "member": member.pk, "person": nina.pk},
    )
    with pytest.raises(sealing.NotOpenable):
        sealing.open_bid(tender.bid, reader=nina)


def test_the_audit_trail_keeps_no_copy_of_the_answers_or_price(cast, tender):
    events = AuditEvent.objects.filter(object_type="commissioning.bid", object_id=str(tender.bid.pk))
    assert {e.action for e in events} >= {"bid_create", "bid_update", "bid_submit"}
    for event in events:
        assert "sealed" not in (event.after or {}) and "answers" not in (event.after or {}), event.action
