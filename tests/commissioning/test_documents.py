"""Documents of an opportunity, a partnership and a bid, through the services.

Alice attaches the specification of "Women's services"; Dave's partnership its constitution and
its stage 1 bid a method statement. Who sees each, when, and what happens to the bidders when a
document changes after they have bid.
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stepchange.commissioning import access, services
from stepchange.commissioning.models import (
    BidderNotice,
    BidDocument,
    BidOpening,
    OpportunityDocument,
    PartnershipDocument,
)
from stepchange.core.models import AuditEvent
from tests.commissioning.files import PNG, docx, odt, pdf, upload
from tests.commissioning.world import DAY, HOUR, build_tender, draft_opportunity


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def draft(cast):
    return draft_opportunity(
        cast,
        reference="draft-services",
        title="Draft services",
        description="Not yet published.",
        contract_start=(cast_now() + 90 * DAY).date(),
    )


def cast_now():
    from django.utils import timezone

    return timezone.now()


def test_alice_attaches_a_specification_to_a_draft_kept_with_its_size_type_and_hash(cast):
    opportunity = draft(cast)
    content = pdf()
    document = services.opportunity_document_add(
        actor=cast.alice,
        opportunity=opportunity,
        kind="specification",
        title="Service specification",
        upload=upload("../../etc/Spec v2.pdf", content),
    )
    stored = OpportunityDocument.objects.get(pk=document.pk)
    assert bytes(stored.content) == content
    assert (stored.size, stored.file_format, stored.content_type) == (len(content), "pdf", "application/pdf")
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.display_name == "Spec v2.pdf"  # the folders sent are dropped
    event = AuditEvent.objects.get(action="opportunity_document_add")
    assert event.after is not None and event.after["sha256"] == stored.sha256
    # A draft's documents are its managers' only.
    seeing = {
        n for n, u in cast.everyone().items() if access.opportunity_documents_visible_to(u).filter(pk=document.pk)
    }
    assert seeing == {"alice", "root"}
    assert not access.opportunity_documents_visible_to(None).exists()


def test_a_published_opportunitys_documents_are_everyones(cast, tender):
    document = services.opportunity_document_add(
        actor=cast.alice, opportunity=tender.opportunity, kind="terms", title="Terms", upload=upload("t.txt", b"Terms")
    )
    for user in [None, *cast.everyone().values()]:
        assert access.opportunity_documents_visible_to(user).filter(pk=document.pk).exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("spec.pdf", PNG, "holds binary data of another kind"),
        ("spec.docx", b"MZ\x90\x00\x03\x00\x00\x00", "holds binary data of another kind"),
        ("spec.pdf", b"\xff\xfe\xfa text in an old encoding", "as text, it is not UTF-8 (byte 1)"),
        ("spec.docx", docx(macros=True), "holds macros"),
        ("spec.docx", b"PK\x03\x04 not really a zip", "damaged or unknown zip file"),
        ("spec.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "older Office format (.doc or .xls)"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_a_disguised_or_unreadable_file_is_refused_saying_what_was_expected(cast, name, content, message):
    opportunity = draft(cast)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.opportunity_document_add(
            actor=cast.alice, opportunity=opportunity, kind="specification", title="Spec", upload=upload(name, content)
        )
    text = refused.value.message_dict["file"][0]
    assert message in text
    assert "a PDF, a Word document (.docx)" in text or "Save it" in text or "Upload" in text
    assert not OpportunityDocument.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_zip_named_docx_without_a_documents_parts_is_refused_as_a_zip(cast):
    from tests.commissioning.files import zipped

    with pytest.raises(ValidationError, match="is a zip file, not a PDF, a Word document"):
        services.opportunity_document_add(
            actor=cast.alice,
            opportunity=draft(cast),
            kind="specification",
            title="Spec",
            upload=upload("spec.docx", zipped({"readme.txt": b"hello"})),
        )


def test_docx_xlsx_odt_and_text_are_told_from_their_bytes_not_their_names(cast):
    from tests.hostile.test_uploads import workbook_bytes

    opportunity = draft(cast)
    kinds = {}
    for name, content in [
        ("a.pdf", docx()),
        ("b.txt", workbook_bytes([["Pathway", "Spend"], ["Health", 1]])),
        ("c.docx", odt()),
        ("d.pdf", "Price,£\n1,2\n".encode()),
    ]:
        document = services.opportunity_document_add(
            actor=cast.alice, opportunity=opportunity, kind="other", title=name, upload=upload(name, content)
        )
        kinds[name] = (document.file_format, document.content_type.split(";")[0])
    assert kinds == {
        "a.pdf": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "b.txt": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "c.docx": ("odt", "application/vnd.oasis.opendocument.text"),
        "d.pdf": ("text", "text/plain"),
    }


def test_a_document_is_removed_from_a_draft_but_never_from_a_published_opportunity(cast, tender):
    opportunity = draft(cast)
    document = services.opportunity_document_add(
        actor=cast.alice, opportunity=opportunity, kind="terms", title="Terms", upload=upload("t.pdf", pdf())
    )
    services.opportunity_document_remove(actor=cast.alice, document=document)
    assert not OpportunityDocument.objects.exists()
    assert AuditEvent.objects.filter(action="opportunity_document_remove").count() == 1
    published = services.opportunity_document_add(
        actor=cast.alice, opportunity=tender.opportunity, kind="terms", title="Terms", upload=upload("t.pdf", pdf())
    )
    with pytest.raises(ValidationError, match="cannot be removed, only replaced"):
        services.opportunity_document_remove(actor=cast.alice, document=published)
    # Nobody but its managers may touch it.
    with pytest.raises(PermissionDenied):
        services.opportunity_document_add(
            actor=cast.bob, opportunity=tender.opportunity, kind="terms", title="T", upload=upload("t.pdf", pdf())
        )


def test_a_document_added_after_bids_exist_is_a_change_bidders_must_reconfirm_with_seven_days_notice(cast, tender):
    # Two days before stage 1 closes: the deadline moves out to seven days from the change.
    now = tender.stage1.deadline - 2 * DAY
    services.opportunity_document_add(
        actor=cast.alice,
        opportunity=tender.opportunity,
        kind="pricing_schedule",
        title="Pricing schedule",
        upload=upload("pricing.pdf", pdf("Pricing")),
        now=now,
    )
    tender.bid.refresh_from_db()
    tender.stage1.refresh_from_db()
    assert tender.bid.reconfirm_needed_since == now
    assert tender.stage1.deadline == now + 7 * DAY
    notice = BidderNotice.objects.get(partnership=tender.partnership)
    assert notice.subject == "Women's services has changed"
    assert "re-confirm your bid" in notice.body


def test_replacing_a_published_document_keeps_the_old_one_marked_replaced(cast, tender):
    old = services.opportunity_document_add(
        actor=cast.alice,
        opportunity=tender.opportunity,
        kind="specification",
        title="Spec",
        upload=upload("a.pdf", pdf()),
    )
    new = services.opportunity_document_add(
        actor=cast.alice,
        opportunity=tender.opportunity,
        kind="specification",
        title="Spec, corrected",
        upload=upload("b.pdf", pdf("Corrected")),
        replaces=old,
    )
    old.refresh_from_db()
    assert old.replaced_by == new and old.replaced_at is not None
    event = AuditEvent.objects.get(action="opportunity_document_replace")
    assert event.before is not None and event.after is not None
    assert (event.before["title"], event.after["title"]) == ("Spec", "Spec, corrected")
    with pytest.raises(ValidationError, match="replaced or removed already"):
        services.opportunity_document_add(
            actor=cast.alice,
            opportunity=tender.opportunity,
            kind="specification",
            title="Again",
            upload=upload("c.pdf", pdf()),
            replaces=old,
        )


# --- Partnerships --------------------------------------------------------------------------------


def test_the_partnerships_constitution_is_seen_by_its_members_and_once_it_has_bid_the_commissioner(cast, tender):
    document = services.partnership_document_add(
        actor=cast.dave,
        partnership=tender.partnership,
        kind="constitution",
        title="",
        upload=upload("constitution.pdf", pdf("Constitution")),
        now=tender.start + 4 * HOUR,
    )
    assert document.title == "Constitution"
    people = cast.everyone() | {"wendy": tender.wendy}

    def seeing(now):
        return {
            n for n, u in people.items() if access.partnership_documents_visible_to(u, now=now).filter(pk=document.pk)
        }

    # Before the deadline the commissioner may not learn the partnership exists; the evaluator sees it
    # only once she has declared no conflict on its bid, which she has not here.
    assert seeing(tender.stage1.deadline - HOUR) == {"dave", "wendy"}
    assert seeing(tender.after_stage1) == {"dave", "wendy", "alice", "root"}
    # A new constitution replaces the old, which is kept, marked replaced.
    services.partnership_document_add(
        actor=tender.wendy,
        partnership=tender.partnership,
        kind="constitution",
        title="Constitution, signed",
        upload=upload("signed.pdf", pdf("Signed")),
        now=tender.start + 5 * HOUR,
    )
    current = PartnershipDocument.objects.get(replaced_at__isnull=True)
    assert current.title == "Constitution, signed"
    assert PartnershipDocument.objects.get(replaced_at__isnull=False).replaced_by == current
    with pytest.raises(PermissionDenied):
        services.partnership_document_add(
            actor=cast.erin,
            partnership=tender.partnership,
            kind="constitution",
            title="",
            upload=upload("x.pdf", pdf()),
        )
    services.partnership_document_remove(actor=cast.dave, document=current, now=tender.start + 6 * HOUR)
    assert list(PartnershipDocument.objects.values_list("title", flat=True)) == ["Constitution"]


# --- Bids ----------------------------------------------------------------------------------------


def method_statement(cast, tender, now=None):
    return services.bid_document_add(
        actor=cast.dave,
        bid=tender.bid,
        kind="method_statement",
        title="Method statement",
        upload=upload("method.docx", docx()),
        now=now or tender.start + 4 * HOUR,
    )


BEFORE = {"dave", "wendy"}
AFTER = {"dave", "wendy", "alice", "root"}


@pytest.mark.parametrize("when, expected", [("before", BEFORE), ("after", AFTER)])
def test_a_bids_documents_are_sealed_like_the_bid(cast, tender, when, expected):
    document = method_statement(cast, tender)
    now = tender.stage1.deadline - HOUR if when == "before" else tender.after_stage1
    people = cast.everyone() | {"wendy": tender.wendy}
    seeing = {n for n, u in people.items() if access.bid_documents_visible_to(u, now=now).filter(pk=document.pk)}
    assert seeing == expected
    # Not even a count gives them away.
    for name, user in people.items():
        if name not in expected:
            assert access.bid_documents_visible_to(user, now=now).count() == 0, name


def test_the_evaluator_sees_a_bids_documents_only_after_declaring_no_conflict(cast, tender):
    document = method_statement(cast, tender)
    after = tender.after_stage1
    assert not access.bid_documents_visible_to(cast.heidi, now=after).exists()
    with pytest.raises(PermissionDenied):
        services.bid_document_open(actor=cast.heidi, document=document, now=after)
    services.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=after)
    assert access.bid_documents_visible_to(cast.heidi, now=after).filter(pk=document.pk).exists()


def test_every_opening_of_a_bid_document_from_outside_the_partnership_is_logged(cast, tender):
    document = method_statement(cast, tender)
    before = tender.stage1.deadline - HOUR
    for user in (cast.alice, cast.root, cast.heidi, cast.erin):
        with pytest.raises(PermissionDenied, match="not a bid of a partnership you belong to"):
            services.bid_document_open(actor=user, document=document, now=before)
    after = tender.after_stage1
    assert services.bid_document_open(actor=cast.dave, document=document, now=after) is None
    services.bid_document_open(actor=cast.alice, document=document, now=after)
    services.conflict_declare(actor=cast.heidi, bid=tender.bid, has_conflict=False, now=after)
    services.bid_document_open(actor=cast.heidi, document=document, now=after + HOUR)
    openings = list(BidOpening.objects.values_list("opened_by__username", "opened_at", "document__title"))
    assert openings == [("alice", after, "Method statement"), ("heidi", after + HOUR, "Method statement")]
    assert AuditEvent.objects.filter(action="bid_document_open").count() == 2


def test_bid_documents_are_added_and_removed_until_the_deadline_then_frozen(cast, tender):
    document = method_statement(cast, tender)
    budget = services.bid_document_add(
        actor=tender.wendy,
        bid=tender.bid,
        kind="budget",
        title="Budget",
        upload=upload("budget.csv", b"Line,Amount\nStaff,90000\n"),
        now=tender.start + 5 * HOUR,
    )
    services.bid_document_remove(actor=cast.dave, document=budget, now=tender.start + 6 * HOUR)
    assert list(BidDocument.objects.values_list("title", flat=True)) == ["Method statement"]
    after = tender.after_stage1
    with pytest.raises(ValidationError, match="deadline for stage 1 has passed; the bid is frozen"):
        method_statement(cast, tender, now=after)
    with pytest.raises(ValidationError, match="frozen"):
        services.bid_document_remove(actor=cast.dave, document=document, now=after)
    # Outsiders are refused whether or not the bid exists.
    with pytest.raises(PermissionDenied):
        services.bid_document_add(
            actor=cast.alice,
            bid=tender.bid,
            kind="budget",
            title="B",
            upload=upload("b.pdf", pdf()),
            now=tender.start + 5 * HOUR,
        )
    assert BidDocument.objects.count() == 1
