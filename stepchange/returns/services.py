"""Every write to rounds and returns: keyword-only, one transaction each, an audit event each.

Who may call which service is decided by the views through ``returns.access``; the services check
the state of the return (only an open return is changed, only a submitted one approved).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import live_on
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import already_done, first_wins, save_if_unchanged, taken
from stepchange.core.models import FinancialYear, Pathway, Region, pathways_asked_of_prisons
from stepchange.organisations.models import Commissioner, Organisation
from stepchange.returns import notices
from stepchange.returns.checks import Problem, check_return, ended_limit, ended_too_many
from stepchange.returns.copying import BATCH as COPY_BATCH
from stepchange.returns.copying import copy_prison_lines, copy_probation_lines
from stepchange.returns.models import (
    RULES_VERSION,
    CoordinatorPost,
    PrisonReturn,
    PrisonReturnLine,
    ProbationLineChange,
    ProbationReturn,
    ProbationReturnLine,
    ProposedOrganisation,
    ReturnKind,
    ReturnRound,
    Status,
    coordinator_fte,
)
from stepchange.returns.selectors import (
    area_wide_contracts,
    may_deliver_on_line,
    previous_prison_return,
    running_last_quarter,
)

if TYPE_CHECKING:
    pass

# Either kind of return; a service given one kind gives back the same kind.
AnyReturn = TypeVar("AnyReturn", PrisonReturn, ProbationReturn)


class SubmissionRefused(Exception):
    """The return has errors, or warnings not yet confirmed with a reason."""

    def __init__(self, errors: list[Problem], unconfirmed: list[Problem]) -> None:
        super().__init__("The return cannot be submitted yet.")
        self.errors = errors
        self.unconfirmed = unconfirmed


def _line_snapshot(line: PrisonReturnLine) -> dict[str, Any]:
    data = snapshot(line)
    data["proposed"] = [f"{p.name} ({p.sector})" for p in line.proposed.all()]
    return data


# Rounds -------------------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    actor: Any,
    region: Region,
    kind: str,
    year: FinancialYear,
    quarter: int,
    commissioners: Iterable[Commissioner],
    opens_on: datetime.date,
    deadline: datetime.date,
) -> ReturnRound:
    """Open a round and give each covered commissioner its return (a prison's carries last quarter over)."""
    covered = list(commissioners)
    if not covered:
        raise ValidationError({"commissioners": "Choose at least one commissioner the round covers."})
    wrong = [c.name for c in covered if c.kind != kind or c.region_id != region.pk]
    if wrong:
        raise ValidationError(
            {"commissioners": f"Not a {ReturnKind(kind).label.lower()} commissioner of {region}: {', '.join(wrong)}."}
        )
    if deadline < opens_on:
        raise ValidationError({"deadline": "The deadline must be on or after the opening date."})
    # The region's row is locked first: of two people opening the same round at once, the second
    # waits here, then finds the first's round (and is sent to it) instead of clashing with it.
    Region.objects.select_for_update().get(pk=region.pk)
    existing = ReturnRound.objects.filter(region=region, kind=kind, year=year, quarter=quarter).first()
    if existing is not None:
        raise already_done(existing, actions=["round_open"], did=f"opened this round ({existing})", then="here it is.")
    the_round = ReturnRound.objects.create(
        region=region,
        kind=kind,
        year=year,
        quarter=quarter,
        opens_on=opens_on,
        deadline=deadline,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    the_round.commissioners.set(covered)
    audit_record(actor=actor, action="round_open", obj=the_round, after=snapshot(the_round))
    for commissioner in covered:
        if kind == ReturnKind.PRISON:
            _prison_return_create(actor=actor, the_round=the_round, commissioner=commissioner)
        else:
            _probation_return_create(actor=actor, the_round=the_round, commissioner=commissioner)
    return the_round


def _prison_return_create(*, actor: Any, the_round: ReturnRound, commissioner: Commissioner) -> PrisonReturn:
    prison_return = PrisonReturn.objects.create(round=the_round, commissioner=commissioner)
    previous = previous_prison_return(prison_return)
    if previous is not None:
        copy_prison_lines(source=previous, target=prison_return, carry_over=True)
    audit_record(actor=actor, action="return_create", obj=prison_return, after=snapshot(prison_return))
    return prison_return


def _probation_return_create(*, actor: Any, the_round: ReturnRound, commissioner: Commissioner) -> ProbationReturn:
    as_at = the_round.as_at
    refusal = ValidationError(
        {"commissioners": f"{commissioner.name} already has a return at {as_at:%-d %B %Y}: leave it out."}
    )
    if ProbationReturn.objects.filter(commissioner=commissioner, as_at=as_at).exists():
        raise refusal
    # A return recorded for the same date on the manage page at this very moment: the same refusal.
    with first_wins(taken(ProbationReturn, lookup={"commissioner": commissioner, "as_at": as_at}, refusal=refusal)):
        probation_return = ProbationReturn.objects.create(round=the_round, commissioner=commissioner, as_at=as_at)
    live = live_on(Contract.objects.filter(commissioner=commissioner), as_at)
    ProbationReturnLine.objects.bulk_create(
        (
            ProbationReturnLine(
                probation_return=probation_return,
                contract_id=contract_id,
                title=f"{reference} {title}",
                recorded_value=annual_value,
                annual_value=annual_value,
            )
            for contract_id, reference, title, annual_value in live.order_by("title").values_list(
                "id", "reference", "title", "annual_value"
            )
        ),
        batch_size=COPY_BATCH,
    )
    audit_record(actor=actor, action="return_create", obj=probation_return, after=snapshot(probation_return))
    return probation_return


# Two people at once ------------------------------------------------------------------------------

SUBMITTED_ACTIONS = ("return_submit", "return_submit_late", "return_submit_nil", "return_submit_nil_late")
# What each sign-off leaves the return as, the audit events that record it, and what it is in words.
DONE = {
    Status.SUBMITTED: (SUBMITTED_ACTIONS, "submitted this return"),
    Status.NIL: (SUBMITTED_ACTIONS, "submitted this return"),
    Status.APPROVED: (("return_approve",), "approved this return"),
    Status.RETURNED: (("return_send_back",), "returned this return for correction"),
}


def done_already(the_return: AnyReturn, *, wanted: Iterable[Status]) -> None:
    """If the return is already in one of the ``wanted`` states (what this request was about to
    bring it to), raise ``AlreadyDone`` saying who did it and when."""
    if the_return.status in set(wanted):
        actions, did = DONE[the_return.status]
        raise already_done(the_return, actions=actions, did=did, then="here it is.")


def _locked(the_return: AnyReturn, *, wanted: Iterable[Status]) -> AnyReturn:
    """The return's row, locked for this transaction (a second request doing the same waits here
    for the first to finish, then reads what it did): ``done_already`` on what it holds now."""
    current = type(the_return).objects.select_for_update().get(pk=the_return.pk)
    done_already(current, wanted=wanted)
    return current


# Filling in ---------------------------------------------------------------------------------------


def _editable(the_return: AnyReturn) -> None:
    if not the_return.is_open:
        raise ValidationError(
            f"This return is {the_return.status.label.lower()}: it cannot be changed. "
            "An approved return can be reopened as a correction."
        )


def _touch(the_return: AnyReturn, expected_version: int) -> None:
    """Mark the return as started and bump its version, refusing a stale edit."""
    save_if_unchanged(
        the_return, expected_version=expected_version, fields={"started_at": the_return.started_at or timezone.now()}
    )


@transaction.atomic
def prison_line_save(
    *,
    actor: Any,
    prison_return: PrisonReturn,
    expected_version: int,
    pathway: Pathway,
    services_running: int,
    services_started: int,
    services_ended: int,
    spend: Decimal | None,
    organisations: Iterable[Organisation] | None = None,
    proposed: Iterable[tuple[str, str]] | None = None,
) -> PrisonReturnLine:
    """Save a pathway's figures. The organisations delivering on it and those proposed for the
    directory are left as they are, unless ``organisations`` or ``proposed`` is given: then that
    list replaces the line's (the pathway page changes them one at a time, below)."""
    _editable(prison_return)
    if not pathways_asked_of_prisons(prison_return.commissioner.region_id).filter(pk=pathway.pk).exists():
        raise ValidationError(f"{pathway.name} is not asked of prisons in this region.")
    if services_started > services_running:
        raise ValidationError(
            {"services_started": "Services started this quarter cannot be more than services running."}
        )
    last = running_last_quarter(prison_return)
    last_running = None if last is None else last.get(pathway.pk, 0)
    if ended_too_many(ended=services_ended, started=services_started, last_running=last_running):
        limit = ended_limit(last_running=last_running, started=services_started)
        raise ValidationError(
            {
                "services_ended": "Services ended cannot be more than last quarter's services running and this "
                f"quarter's started together ({limit})."
            }
        )
    _touch(prison_return, expected_version)
    lists = organisations is not None or proposed is not None
    line = PrisonReturnLine.objects.filter(prison_return=prison_return, pathway=pathway).first()
    before = (_line_snapshot(line) if lists else _line_figures(line)) if line else None
    if line is None:
        line = PrisonReturnLine(prison_return=prison_return, pathway=pathway)
    line.services_running = services_running
    line.services_started = services_started
    line.services_ended = services_ended
    line.spend = spend
    line.carried_over = False
    line.save()
    if organisations is not None:
        line.organisations.set(list(organisations))
    if proposed is not None:
        line.proposed.all().delete()
        ProposedOrganisation.objects.bulk_create(
            ProposedOrganisation(line_id=line.pk, name=name, sector=sector) for name, sector in proposed
        )
    after = _line_snapshot(line) if lists else _line_figures(line)
    audit_record(actor=actor, action="return_line_save", obj=prison_return, before=before, after=after)
    return line


def _line_figures(line: PrisonReturnLine) -> dict[str, Any]:
    """The line's own columns, without its lists of organisations (a national line names thousands)."""
    return {
        "pathway": line.pathway.name,
        "services_running": line.services_running,
        "services_started": line.services_started,
        "services_ended": line.services_ended,
        "spend": None if line.spend is None else str(line.spend),
        "carried_over": line.carried_over,
    }


def _line_to_change(prison_return: PrisonReturn, pathway: Pathway) -> PrisonReturnLine:
    """The open return's line for ``pathway``; refused if the pathway's figures have not been saved
    yet (the line is made by saving them). The caller checks its change, then ``_touch``es."""
    _editable(prison_return)
    line = PrisonReturnLine.objects.filter(prison_return=prison_return, pathway=pathway).first()
    if line is None:
        raise ValidationError(
            f"Save the {pathway.name} figures first: then you can name the organisations delivering on it."
        )
    return line


def _line_audit(*, actor: Any, prison_return: PrisonReturn, line: PrisonReturnLine, action: str, **change: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=prison_return,
        before=None,
        after={"pathway": line.pathway.name, **change},
    )


@transaction.atomic
def prison_line_organisation_add(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, pathway: Pathway, organisation: Organisation
) -> PrisonReturnLine:
    """Name one directory organisation as delivering on a pathway."""
    line = _line_to_change(prison_return, pathway)
    if not may_deliver_on_line(prison_return).filter(pk=organisation.pk).exists():
        raise ValidationError(
            f"{organisation.name} cannot be named here: only the region's voluntary and community organisations can."
        )
    if line.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(f"{organisation.name} is already named on {pathway.name}.")
    _touch(prison_return, expected_version)
    line.organisations.add(organisation)
    _line_audit(
        actor=actor,
        prison_return=prison_return,
        line=line,
        action="return_line_organisation_add",
        added=organisation.name,
    )
    return line


@transaction.atomic
def prison_line_organisation_remove(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, pathway: Pathway, organisation: Organisation
) -> PrisonReturnLine:
    """Take one organisation off a pathway."""
    line = _line_to_change(prison_return, pathway)
    if not line.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(f"{organisation.name} is not named on {pathway.name}.")
    _touch(prison_return, expected_version)
    line.organisations.remove(organisation)
    _line_audit(
        actor=actor,
        prison_return=prison_return,
        line=line,
        action="return_line_organisation_remove",
        removed=organisation.name,
    )
    return line


@transaction.atomic
def prison_line_organisations_clear(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, pathway: Pathway
) -> int:
    """Take every directory organisation off a pathway; how many there were."""
    line = _line_to_change(prison_return, pathway)
    _touch(prison_return, expected_version)
    through = PrisonReturnLine.organisations.through
    removed, _ = through.objects.filter(prisonreturnline_id=line.pk).delete()
    _line_audit(
        actor=actor,
        prison_return=prison_return,
        line=line,
        action="return_line_organisations_clear",
        removed_count=removed,
    )
    return removed


@transaction.atomic
def prison_line_proposed_add(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, pathway: Pathway, name: str, sector: str
) -> ProposedOrganisation:
    """Propose one organisation that is not in the directory as delivering on a pathway."""
    name = name.strip()
    if not name:
        raise ValidationError({"proposed_name": "Enter the name of the organisation you are proposing"})
    if sector not in {"vcs", "private"}:
        raise ValidationError({"proposed_sector": "Choose the sector of the organisation you are proposing"})
    line = _line_to_change(prison_return, pathway)
    if line.proposed.filter(name=name).exists():
        raise ValidationError({"proposed_name": f"{name} is already proposed on {pathway.name}"})
    _touch(prison_return, expected_version)
    proposed = ProposedOrganisation.objects.create(line=line, name=name, sector=sector)
    _line_audit(
        actor=actor,
        prison_return=prison_return,
        line=line,
        action="return_line_proposed_add",
        added=f"{name} ({sector})",
    )
    return proposed


@transaction.atomic
def prison_line_proposed_remove(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, pathway: Pathway, proposed_id: int
) -> PrisonReturnLine:
    """Take one proposed organisation off a pathway."""
    line = _line_to_change(prison_return, pathway)
    proposed = line.proposed.filter(pk=proposed_id).first()
    if proposed is None:
        raise ValidationError(f"That organisation is not proposed on {pathway.name}.")
    _touch(prison_return, expected_version)
    proposed.delete()
    _line_audit(
        actor=actor,
        prison_return=prison_return,
        line=line,
        action="return_line_proposed_remove",
        removed=f"{proposed.name} ({proposed.sector})",
    )
    return line


@transaction.atomic
def prison_line_proposed_clear(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, pathway: Pathway
) -> int:
    """Take every proposed organisation off a pathway; how many there were."""
    line = _line_to_change(prison_return, pathway)
    _touch(prison_return, expected_version)
    removed, _ = ProposedOrganisation.objects.filter(line_id=line.pk).delete()
    _line_audit(
        actor=actor, prison_return=prison_return, line=line, action="return_line_proposed_clear", removed_count=removed
    )
    return removed


def _area_contracts_touch(prison_return: PrisonReturn, expected_version: int) -> None:
    """The return's version checked and bumped, the area-wide contracts question marked answered."""
    save_if_unchanged(
        prison_return,
        expected_version=expected_version,
        fields={"area_contracts_answered": True, "started_at": prison_return.started_at or timezone.now()},
    )


@transaction.atomic
def area_contract_add(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, contract: Contract
) -> PrisonReturn:
    """Name one area-wide contract of the region as delivered in the establishment."""
    _editable(prison_return)
    if not area_wide_contracts(prison_return).filter(pk=contract.pk).exists():
        raise ValidationError(f"{contract.reference} is not an area-wide contract of the region.")
    if prison_return.area_contracts.filter(pk=contract.pk).exists():
        raise ValidationError(f"{contract.reference} is already on the return.")
    _area_contracts_touch(prison_return, expected_version)
    prison_return.area_contracts.add(contract)
    label = f"{contract.reference} {contract.title}"
    audit_record(actor=actor, action="return_contract_add", obj=prison_return, after={"added": label})
    return prison_return


@transaction.atomic
def area_contract_remove(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, contract: Contract
) -> PrisonReturn:
    """Take one area-wide contract off the return."""
    _editable(prison_return)
    if not prison_return.area_contracts.filter(pk=contract.pk).exists():
        raise ValidationError(f"{contract.reference} is not on the return.")
    _area_contracts_touch(prison_return, expected_version)
    prison_return.area_contracts.remove(contract)
    label = f"{contract.reference} {contract.title}"
    audit_record(actor=actor, action="return_contract_remove", obj=prison_return, after={"removed": label})
    return prison_return


@transaction.atomic
def area_contracts_confirm(*, actor: Any, prison_return: PrisonReturn, expected_version: int) -> PrisonReturn:
    """Say the return's list of area-wide contracts (perhaps none) is complete."""
    _editable(prison_return)
    answered = prison_return.area_contracts_answered
    _area_contracts_touch(prison_return, expected_version)
    audit_record(
        actor=actor,
        action="return_contracts_confirm",
        obj=prison_return,
        before={"area_contracts_answered": answered},
        after={"area_contracts_answered": True, "area_contracts": prison_return.area_contracts.count()},
    )
    return prison_return


@transaction.atomic
def coordinator_post_save(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, post: str, fte: Decimal | None
) -> PrisonReturn:
    _editable(prison_return)
    if post == CoordinatorPost.PART_TIME and (fte is None or not Decimal(0) < fte < Decimal(1)):
        raise ValidationError({"fte": "Give the part-time post's FTE as a number between 0 and 1, like 0.5."})
    before = snapshot(prison_return)
    save_if_unchanged(
        prison_return,
        expected_version=expected_version,
        fields={
            "coordinator_post": post,
            "coordinator_fte": coordinator_fte(post, fte),
            "started_at": prison_return.started_at or timezone.now(),
        },
    )
    audit_record(
        actor=actor, action="return_post_save", obj=prison_return, before=before, after=snapshot(prison_return)
    )
    return prison_return


def probation_line_change(line: ProbationReturnLine, *, annual_value: Decimal, ended: bool) -> str:
    """What a line of a contract the service holds becomes when the area reports it: ended, its
    spend corrected (a value other than the one recorded) or confirmed. A contract the area added
    stays new."""
    if line.change == ProbationLineChange.NEW:
        return ProbationLineChange.NEW
    if ended:
        return ProbationLineChange.ENDED
    if annual_value != line.recorded_value:
        return ProbationLineChange.CORRECTED
    return ProbationLineChange.CONFIRMED


@transaction.atomic
def probation_line_save(
    *,
    actor: Any,
    probation_return: ProbationReturn,
    expected_version: int,
    line: ProbationReturnLine,
    annual_value: Decimal,
    ended: bool,
) -> ProbationReturnLine:
    """Confirm, correct or end one contract on a probation return."""
    _editable(probation_return)
    if line.probation_return_id != probation_return.pk:
        raise ValidationError("That contract is not on this return.")
    if annual_value < 0:
        raise ValidationError({"annual_value": "The annual value cannot be negative."})
    _touch(probation_return, expected_version)
    before = snapshot(line)
    line.change = probation_line_change(line, annual_value=annual_value, ended=ended)
    line.annual_value = annual_value
    line.save()
    audit_record(actor=actor, action="return_line_save", obj=probation_return, before=before, after=snapshot(line))
    return line


@transaction.atomic
def probation_line_add(
    *,
    actor: Any,
    probation_return: ProbationReturn,
    expected_version: int,
    title: str,
    annual_value: Decimal,
    sector: str,
    pathways: Iterable[Pathway] = (),
) -> ProbationReturnLine:
    """A contract the area holds at the return date that the service does not know of yet.

    ``sector`` is its prime's: a VCS or private prime's counts toward the share at the return date.
    ``pathways`` are its pathways, which the contract profile counts it under at the return date.
    """
    _editable(probation_return)
    if annual_value < 0:
        raise ValidationError({"annual_value": "The annual value cannot be negative."})
    if sector not in {"vcs", "private", "public"}:
        raise ValidationError({"sector": "Say whether the prime is voluntary and community, private or public."})
    _touch(probation_return, expected_version)
    line = ProbationReturnLine.objects.create(
        probation_return=probation_return,
        title=title,
        annual_value=annual_value,
        change=ProbationLineChange.NEW,
        sector=sector,
    )
    line.pathways.set(list(pathways))
    audit_record(actor=actor, action="return_line_add", obj=probation_return, after=snapshot(line))
    return line


# Sign-off -----------------------------------------------------------------------------------------


@transaction.atomic
def return_submit(
    *,
    actor: Any,
    the_return: AnyReturn,
    expected_version: int,
    nil: bool = False,
    reasons: dict[str, str] | None = None,
) -> AnyReturn:
    """Submit after the checks: errors refuse it; each warning needs a reason, kept with the submission."""
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
