"""Signing a return off: submission after the checks, approval, sending back and reopening as a
correction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import already_done, save_if_unchanged
from stepchange.returns import notices
from stepchange.returns.checks import Problem, check_return
from stepchange.returns.copying import copy_prison_lines, copy_probation_lines
from stepchange.returns.models import (
    RULES_VERSION,
    PrisonReturn,
    ProbationReturn,
    Status,
)
from stepchange.returns.services._common import AnyReturn, _editable, _locked


class SubmissionRefused(Exception):
    """The return has errors, or warnings not yet confirmed with a reason."""

    def __init__(self, errors: list[Problem], unconfirmed: list[Problem]) -> None:
        super().__init__("The return cannot be submitted yet.")
        self.errors = errors
        self.unconfirmed = unconfirmed


# Sign-off -----------------------------------------------------------------------------------------


@transaction.atomic
def return_submit(
    *,
    actor: Any,
    the_return: AnyReturn,
    expected_version: int,
    nil: bool = False,
    reasons: dict[str, str] | None = None,
    hours_taken: Decimal | None = None,
) -> AnyReturn:
    """Submit after the checks: errors refuse it; each warning needs a reason, kept with the
    submission. ``hours_taken`` is what the submitter said the return took (None: not said)."""
    if hours_taken is not None and hours_taken < 0:
        raise ValidationError({"hours_taken": "The time must be 0 hours or more"})
    _locked(the_return, wanted={Status.SUBMITTED, Status.NIL})
    _editable(the_return)
    result = check_return(the_return, nil=nil)
    reasons = {code: reason.strip() for code, reason in (reasons or {}).items() if reason and reason.strip()}
    unconfirmed = [w for w in result.warnings if w.code not in reasons]
    if result.errors or unconfirmed:
        raise SubmissionRefused(result.errors, unconfirmed)
    before = snapshot(the_return)
    now = timezone.now()
    save_if_unchanged(
        the_return,
        expected_version=expected_version,
        fields={
            "submitted_at": now,
            "submitted_by": actor,
            "nil_return": nil,
            "hours_taken": hours_taken,
            "rules_version": RULES_VERSION,
            "confirmed_warnings": [
                {"code": w.code, "message": w.message, "reason": reasons[w.code]} for w in result.warnings
            ],
            "started_at": the_return.started_at or now,
        },
    )
    action = "return_submit_nil" if nil else "return_submit"
    if the_return.is_late:
        action += "_late"
    audit_record(actor=actor, action=action, obj=the_return, before=before, after=snapshot(the_return))
    return the_return


@transaction.atomic
def return_approve(*, actor: Any, the_return: AnyReturn, expected_version: int, late_reason: str = "") -> AnyReturn:
    """Approve a submitted return; a late one is accepted with a reason. Its figures reach the reports."""
    _locked(the_return, wanted={Status.APPROVED})
    if not the_return.awaits_sign_off:
        raise ValidationError(
            f"Only a submitted return can be approved; this one is {the_return.status.label.lower()}."
        )
    fields: dict[str, Any] = {"approved_at": timezone.now(), "approved_by": actor}
    if the_return.is_late:
        if not late_reason.strip():
            raise ValidationError({"late_reason": "This return was submitted late: say why you accept it."})
        fields.update(late_accepted_at=fields["approved_at"], late_accepted_reason=late_reason.strip())
    # The approved revision it corrects gives way to it first: one approved return counts at a time.
    model = type(the_return)
    for older in model.objects.filter(
        round=the_return.round,
        commissioner=the_return.commissioner,
        revision__lt=the_return.revision,
        approved_at__isnull=False,
        superseded_at__isnull=True,
    ).exclude(round__isnull=True):
        old_before = snapshot(older)
        save_if_unchanged(older, expected_version=older.version, fields={"superseded_at": fields["approved_at"]})
        audit_record(actor=actor, action="return_supersede", obj=older, before=old_before, after=snapshot(older))
    before = snapshot(the_return)
    save_if_unchanged(the_return, expected_version=expected_version, fields=fields)
    audit_record(actor=actor, action="return_approve", obj=the_return, before=before, after=snapshot(the_return))
    notices.approved(the_return)
    return the_return


@transaction.atomic
def return_send_back(*, actor: Any, the_return: AnyReturn, expected_version: int, reason: str) -> AnyReturn:
    """Return a submitted return for correction, with the reason; it is a draft again."""
    _locked(the_return, wanted={Status.RETURNED})
    if not the_return.awaits_sign_off:
        raise ValidationError(
            f"Only a submitted return can be returned; this one is {the_return.status.label.lower()}."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say what needs correcting."})
    before = snapshot(the_return)
    save_if_unchanged(
        the_return,
        expected_version=expected_version,
        fields={"returned_at": timezone.now(), "returned_reason": reason.strip(), "submitted_at": None},
    )
    audit_record(actor=actor, action="return_send_back", obj=the_return, before=before, after=snapshot(the_return))
    notices.returned(the_return)
    return the_return


@transaction.atomic
def return_reopen(*, actor: Any, the_return: AnyReturn, reason: str) -> AnyReturn:
    """Reopen an approved return as a correction: a new revision, a draft, with the same figures.

    The approved one stays and keeps counting until the correction is approved.
    """
    # The approved return's row is locked first: of two people reopening it at once, the second
    # waits here, then finds the first's correction (and is sent to it) instead of clashing with it.
    the_return = _locked(the_return, wanted=())
    if not the_return.is_reopenable:
        raise ValidationError("Only an approved return of a round can be reopened.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the approved return needs correcting."})
    model = type(the_return)
    open_correction = model.objects.filter(
        round=the_return.round, commissioner=the_return.commissioner, approved_at__isnull=True
    ).first()
    if open_correction is not None:
        raise already_done(
            open_correction,
            actions=["return_create"],
            did="reopened this return as a correction",
            then="this is the correction.",
        )
    fields: dict[str, Any] = {
        "round": the_return.round,
        "commissioner": the_return.commissioner,
        "revision": the_return.revision + 1,
        "reopened_reason": reason.strip(),
        "started_at": timezone.now(),
    }
    if isinstance(the_return, ProbationReturn):
        fields["as_at"] = the_return.as_at
    else:
        fields["coordinator_post"] = the_return.coordinator_post
        fields["coordinator_fte"] = the_return.coordinator_fte
        fields["area_contracts_answered"] = the_return.area_contracts_answered
    correction = model.objects.create(**fields)
    if isinstance(the_return, PrisonReturn):
        assert isinstance(correction, PrisonReturn)
        correction.area_contracts.set(the_return.area_contracts.all())
        copy_prison_lines(source=the_return, target=correction, carry_over=False)
    else:
        assert isinstance(correction, ProbationReturn)
        copy_probation_lines(source=the_return, target=correction)
    audit_record(actor=actor, action="return_reopen", obj=the_return, after={"reason": reason.strip()})
    audit_record(actor=actor, action="return_create", obj=correction, after=snapshot(correction))
    return correction
