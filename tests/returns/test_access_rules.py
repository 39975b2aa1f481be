"""The return rules views and pages ask of ``returns/access.py``, at their boundaries, per role:
who may change a return now, sign it off, open a correction of it, own it, and which
establishment an uploaded file must belong to."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from stepchange.returns import access
from stepchange.returns.models import ProbationReturn, ReturnKind, ReturnRound, Status
from tests.factories import ProbationReturnFactory, year
from tests.personas import Cast

NOW = timezone.now()


def _round(cast: Cast) -> ReturnRound:
    quarter = ReturnRound.objects.count() + 1  # one round a quarter: each return here has its own
    return ReturnRound.objects.create(
        region=cast.region,
        kind=ReturnKind.PROBATION,
        year=year(),
        quarter=quarter,
        opens_on=datetime.date(2006, 7, 1),
        deadline=datetime.date(2006, 7, 31),
    )


def _return(cast: Cast, status: Status, *, with_round: bool = True) -> ProbationReturn:
    """South Yorkshire's return in the given status."""
    by_status: dict[Status, dict[str, Any]] = {
        Status.NOT_STARTED: {},
        Status.DRAFT: {"started_at": NOW},
        Status.RETURNED: {"started_at": NOW, "returned_at": NOW},
        Status.SUBMITTED: {"started_at": NOW, "submitted_at": NOW},
        Status.NIL: {"started_at": NOW, "submitted_at": NOW, "nil_return": True},
        Status.APPROVED: {"started_at": NOW, "submitted_at": NOW, "approved_at": NOW},
    }
    stamps = by_status[status]
    count = ProbationReturn.objects.count()  # one return an as-at date: each return here has its own
    the_return = ProbationReturnFactory.create(
        commissioner=cast.sypa,
        round=_round(cast) if with_round else None,
        as_at=datetime.date(2006, 4, 1) + datetime.timedelta(days=count),
        **{"approved_at": None, **stamps},
    )
    assert the_return.status == status
    return the_return


# Who fills in South Yorkshire's probation returns, and who signs them off.
FILLERS = {"bob", "root"}
SIGNERS = {"alice", "root"}
EVERYONE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "nadia", "root"]


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.DRAFT, Status.RETURNED])
def test_an_open_return_is_changed_by_whoever_fills_it_in(cast, name, status):
    the_return = _return(cast, status)
    assert access.may_change_return(getattr(cast, name), the_return) == (name in FILLERS)
    assert access.may_sign_off_return(getattr(cast, name), the_return) is False


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.NIL])
def test_a_submitted_return_is_signed_off_and_no_longer_changed(cast, name, status):
    the_return = _return(cast, status)
    assert access.may_change_return(getattr(cast, name), the_return) is False
    assert access.may_sign_off_return(getattr(cast, name), the_return) == (name in SIGNERS)
    assert access.may_reopen_return(getattr(cast, name), the_return, correction_open=False) is False


@pytest.mark.parametrize("name", EVERYONE)
def test_an_approved_return_is_reopened_by_who_fills_it_in_or_signs_it_off(cast, name):
    the_return = _return(cast, Status.APPROVED)
    user = getattr(cast, name)
    assert access.may_change_return(user, the_return) is False
    assert access.may_sign_off_return(user, the_return) is False
    assert access.may_reopen_return(user, the_return, correction_open=False) == (name in FILLERS | SIGNERS)
    # Once a correction is open, nobody opens another.
    assert access.may_reopen_return(user, the_return, correction_open=True) is False


def test_an_approved_return_of_no_round_is_not_reopened(cast):
    the_return = _return(cast, Status.APPROVED, with_round=False)
    assert not the_return.is_reopenable
    assert access.may_reopen_return(cast.root, the_return, correction_open=False) is False


def test_signed_out_may_do_nothing_with_a_return(cast):
    for status in (Status.DRAFT, Status.SUBMITTED, Status.APPROVED):
        the_return = _return(cast, status)
        assert access.may_change_return(AnonymousUser(), the_return) is False
        assert access.may_sign_off_return(AnonymousUser(), the_return) is False
        assert access.may_reopen_return(AnonymousUser(), the_return, correction_open=False) is False


def test_own_returns_are_the_fillers_own_and_a_superuser_owns_none(cast):
    mine = _return(cast, Status.DRAFT)
    ProbationReturnFactory.create(commissioner=cast.wypa, approved_at=None)
    assert list(access.own_returns(cast.bob, ReturnKind.PROBATION)) == [mine]
    assert access.returns_editable_by(cast.root, ReturnKind.PROBATION).count() == 2
    assert not access.own_returns(cast.root, ReturnKind.PROBATION).exists()
    for name in ("alice", "carol", "frank", "grace", "dave"):
        assert mine not in access.own_returns(getattr(cast, name), ReturnKind.PROBATION), name


@pytest.mark.parametrize(
    ("name", "establishment"),
    [("root", None), ("bob", "SYPA"), ("carol", "WYPA"), ("frank", "LEEDS"), ("grace", ""), ("dave", "")],
)
def test_an_upload_belongs_to_the_uploaders_own_establishment(cast, name, establishment):
    """A superuser's file may be any establishment's; anyone else's must be their own (``""``, with
    no establishment, matches no file)."""
    assert access.upload_establishment_of(getattr(cast, name)) == establishment


# Round or no round, and the review of proposed organisations ---------------------------------------

PART_IN_RETURNS = {"alice": True, "bob": True, "carol": True, "frank": True, "grace": True, "root": True}
REVIEWS_PROPOSALS = {"alice": True, "root": True}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "root", "nadia"])
def test_who_has_a_part_in_returns_and_who_reviews_proposed_organisations(cast, name):
    user = getattr(cast, name)
    assert access.may_use_returns(user) is PART_IN_RETURNS.get(name, False)
    assert access.may_review_proposals(user) is REVIEWS_PROPOSALS.get(name, False)
    # Who fills in returns, and for which establishment or area: the co-ordinator and the managers only.
    filled = access.commissioner_filled_in_by(user)
    assert filled == {"bob": cast.sypa, "carol": cast.wypa, "frank": cast.leeds}.get(name)


def test_nobody_signed_out_has_a_part_in_returns() -> None:
    assert not access.may_use_returns(AnonymousUser())
    assert not access.may_review_proposals(AnonymousUser())


@pytest.mark.django_db
def test_a_regional_commissioner_with_no_region_reviews_nothing(cast):
    cast.alice.region = None
    cast.alice.organisation = None
    cast.alice.save()
    assert not access.may_review_proposals(cast.alice)
    assert not access.proposals_reviewable_by(cast.alice).exists()
