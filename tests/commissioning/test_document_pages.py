"""The document pages as each persona uses them: upload through the form, a refused file, removal,
download headers, and a bid's documents frozen and sealed either side of the stage 1 deadline."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from stepchange.commissioning import services
from stepchange.commissioning.models import BidDocument, BidOpening, Opportunity, OpportunityDocument
from tests.commissioning.files import PNG, docx, pdf, upload
from tests.commissioning.world import HOUR, build_tender


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def move_clock(monkeypatch, to):
    monkeypatch.setattr(timezone, "now", lambda: to)


def test_alice_uploads_the_specification_and_anyone_downloads_it_as_an_attachment(cast, client_for, tender):
    content = pdf()
    url = reverse("commissioning:document-add", args=["womens-services"])
    form = client_for(cast.alice).get(url).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'class="govuk-file-upload"' in form
    assert "every partnership bidding for it will be told of the change" in form
    response = client_for(cast.alice).post(
        url, {"title": "Service specification", "kind": "specification", "file": upload("spec.pdf", content)}
    )
    assert response.status_code == 302
    page = client_for(None).get(reverse("commissioning:detail", args=["womens-services"])).content.decode()
    document = OpportunityDocument.objects.get()
    assert "Service specification" in page and "Specification" in page and "PDF" in page
    assert len(content) < 1024 and f"{len(content)}\xa0bytes" in page
    download = client_for(None).get(reverse("commissioning:document", args=["womens-services", document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="spec.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(download.content).hexdigest() == document.sha256
    # The bidders were told: the opportunity changed after they bid.
    assert tender.partnership.notices.filter(subject="Women's services has changed").exists()


def test_a_disguised_file_is_refused_with_an_error_summary_and_nothing_is_stored(cast, client_for, tender):
    url = reverse("commissioning:document-add", args=["womens-services"])
    response = client_for(cast.alice).post(
        url, {"title": "Specification", "kind": "specification", "file": upload("spec.pdf", PNG, "application/pdf")}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'href="#id_file"' in body
    assert "The file spec.pdf is not a PDF, a Word document (.docx)" in body
    assert "govuk-file-upload--error" in body
    assert not OpportunityDocument.objects.exists()
    assert not tender.partnership.notices.exists()


def test_the_download_name_is_cleaned_and_takes_the_extension_the_bytes_prove(cast, client_for, tender):
    services.opportunity_document_add(
        actor=cast.alice,
        opportunity=tender.opportunity,
        kind="terms",
        title="<script>alert(1)</script>",
        upload=upload('..\\evil"; name=x.html', docx()),
    )
    document = OpportunityDocument.objects.get()
    page = client_for(None).get(reverse("commissioning:detail", args=["womens-services"])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    download = client_for(None).get(reverse("commissioning:document", args=["womens-services", document.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="evil__ name_x.docx"'
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_drafts_document_is_removed_through_its_page_and_was_never_public(cast, client_for, tender):
    Opportunity.objects.filter(pk=tender.opportunity.pk).update(published_at=None)
    tender.opportunity.refresh_from_db()
    document = services.opportunity_document_add(
        actor=cast.alice, opportunity=tender.opportunity, kind="terms", title="Terms", upload=upload("t.pdf", pdf())
    )
    download = reverse("commissioning:document", args=["womens-services", document.pk])
    assert client_for(None).get(download).status_code == 404
    assert client_for(cast.dave).get(download).status_code == 404
    assert client_for(cast.alice).get(download)["Cache-Control"] == "private, no-store"
    remove = reverse("commissioning:document-remove", args=["womens-services", document.pk])
    assert client_for(cast.bob).post(remove).status_code == 404
    assert client_for(cast.alice).post(remove).status_code == 302
    assert not OpportunityDocument.objects.exists()


def test_dave_adds_a_method_statement_the_commissioner_reads_it_after_the_deadline_and_it_is_logged(
    cast, client_for, tender, monkeypatch
):
    move_clock(monkeypatch, tender.stage1.deadline - 2 * HOUR)
    bid_page = reverse("commissioning:bid", args=[tender.bid.pk])
    add = reverse("commissioning:bid-document-add", args=[tender.bid.pk])
    response = client_for(cast.dave).post(
        add, {"title": "Method statement", "kind": "method_statement", "file": upload("method.docx", docx())}
    )
    assert response.status_code == 302 and response["Location"] == bid_page
    document = BidDocument.objects.get()
    download = reverse("commissioning:bid-document", args=[tender.bid.pk, document.pk])
    assert "Method statement" in client_for(tender.wendy).get(bid_page).content.decode()
    for user in (cast.alice, cast.root, cast.heidi, cast.erin):
        assert client_for(user).get(download).status_code == 404
    assert client_for(cast.dave).get(download).status_code == 200
    assert not BidOpening.objects.exists()  # members reading their own are not logged

    move_clock(monkeypatch, tender.after_stage1)
    frozen = client_for(cast.dave).get(add).content.decode()
    assert "the bid and its documents are frozen" in frozen and "govuk-file-upload" not in frozen
    client_for(cast.dave).post(add, {"title": "Late", "kind": "budget", "file": upload("late.pdf", pdf())})
    remove = reverse("commissioning:bid-document-remove", args=[tender.bid.pk, document.pk])
    client_for(cast.dave).post(remove)
    assert list(BidDocument.objects.values_list("title", flat=True)) == ["Method statement"]

    response = client_for(cast.alice).get(download)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert BidOpening.objects.get().document == document
    audit = client_for(cast.alice).get(reverse("commissioning:audit", args=["womens-services"])).content.decode()
    assert "its document “Method statement”" in audit


def test_the_partnership_attaches_its_constitution_which_the_commissioner_sees_only_after_the_deadline(
    cast, client_for, tender, monkeypatch
):
    move_clock(monkeypatch, tender.stage1.deadline - 2 * HOUR)
    url = reverse("commissioning:partnership-document-add", args=[tender.partnership.pk])
    assert client_for(cast.erin).get(url).status_code == 404
    response = client_for(tender.wendy).post(
        url, {"title": "", "kind": "constitution", "file": upload("constitution.txt", b"Article 1. Members.\n")}
    )
    assert response.status_code == 302
    partnership = reverse("commissioning:partnership", args=[tender.partnership.pk])
    assert "Constitution" in client_for(cast.dave).get(partnership).content.decode()
    document = tender.partnership.documents.get()
    download = reverse("commissioning:partnership-document", args=[tender.partnership.pk, document.pk])
    assert client_for(cast.alice).get(download).status_code == 404
    move_clock(monkeypatch, tender.after_stage1)
    response = client_for(cast.alice).get(download)
    assert response.status_code == 200 and response.content == b"Article 1. Members.\n"
    assert response["Content-Disposition"] == 'attachment; filename="constitution.txt"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert client_for(cast.heidi).get(download).status_code == 404


def test_alice_replaces_a_published_document_through_its_page_and_the_new_one_is_listed(cast, client_for, tender):
    old = services.opportunity_document_add(
        actor=cast.alice, opportunity=tender.opportunity, kind="terms", title="Terms", upload=upload("t.pdf", pdf())
    )
    detail = reverse("commissioning:detail", args=["womens-services"])
    replace = reverse("commissioning:document-replace", args=["womens-services", old.pk])
    assert f'href="{replace}"' in client_for(cast.alice).get(detail).content.decode()
    assert replace not in client_for(cast.dave).get(detail).content.decode()
    form = client_for(cast.alice).get(replace).content.decode()
    assert "Replace Terms" in form and 'value="Terms"' in form
    response = client_for(cast.alice).post(
        replace, {"title": "Terms, 2nd edition", "kind": "terms", "file": upload("t2.pdf", pdf("Terms 2"))}
    )
    assert response.status_code == 302
    body = client_for(None).get(detail).content.decode()
    assert "Terms, 2nd edition" in body and ">Terms</a>" not in body
    # The replaced file stays downloadable at its address: bidders may have read it.
    assert client_for(None).get(reverse("commissioning:document", args=["womens-services", old.pk])).status_code == 200
    # A replaced document cannot be replaced again.
    assert client_for(cast.alice).get(replace).status_code == 404


def test_no_document_is_in_the_admin():
    from django.contrib import admin

    from stepchange.commissioning.models import PartnershipDocument

    assert not {OpportunityDocument, PartnershipDocument, BidDocument} & set(admin.site._registry)
