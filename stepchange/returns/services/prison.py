"""Filling in a prison return: its pathway lines, their organisations and proposed ones, the
area-wide contracts and the coordinator post."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from stepchange.contracts.models import Contract
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import save_if_unchanged
from stepchange.core.models import Pathway, pathways_asked_of_prisons
from stepchange.organisations.models import Organisation
from stepchange.returns.checks import ended_limit, ended_too_many
from stepchange.returns.models import (
    CoordinatorPost,
    PrisonReturn,
    PrisonReturnLine,
    ProposedOrganisation,
    coordinator_fte,
)
from stepchange.returns.selectors import (
    area_wide_contracts,
    may_deliver_on_line,
    running_last_quarter,
)
from stepchange.returns.services._common import _editable, _touch


def _line_snapshot(line: PrisonReturnLine) -> dict[str, Any]:
    data = snapshot(line)
    data["proposed"] = [f"{p.name} ({p.sector})" for p in line.proposed.all()]
    return data


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


def _line_record(
    *, actor: Any, prison_return: PrisonReturn, line: PrisonReturnLine, action: str, **change: Any
) -> None:
    audit_record(
        actor=actor, action=action, obj=prison_return, before=None, after={"pathway": line.pathway.name, **change}
    )


def _line_edit(
    *,
    actor: Any,
    prison_return: PrisonReturn,
    expected_version: int,
    line: PrisonReturnLine,
    action: str,
    edit: Callable[[], object],
    **change: Any,
) -> None:
    """One change to a line's lists, after its checks: the return's version checked and bumped (a
    stale edit refused), ``edit`` made, and one audit event saying ``change``."""
    _touch(prison_return, expected_version)
    edit()
    _line_record(actor=actor, prison_return=prison_return, line=line, action=action, **change)


def _line_clear(
    *,
    actor: Any,
    prison_return: PrisonReturn,
    expected_version: int,
    pathway: Pathway,
    action: str,
    rows: Callable[[PrisonReturnLine], QuerySet[Any]],
) -> int:
    """Take every row of one of a line's lists (``rows``) off it; how many there were."""
    line = _line_to_change(prison_return, pathway)
    _touch(prison_return, expected_version)
    removed, _ = rows(line).delete()
    _line_record(actor=actor, prison_return=prison_return, line=line, action=action, removed_count=removed)
    return removed


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
    _line_edit(
        actor=actor,
        prison_return=prison_return,
        expected_version=expected_version,
        line=line,
        action="return_line_organisation_add",
        edit=lambda: line.organisations.add(organisation),
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
    _line_edit(
        actor=actor,
        prison_return=prison_return,
        expected_version=expected_version,
        line=line,
        action="return_line_organisation_remove",
        edit=lambda: line.organisations.remove(organisation),
        removed=organisation.name,
    )
    return line


@transaction.atomic
def prison_line_organisations_clear(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, pathway: Pathway
) -> int:
    """Take every directory organisation off a pathway; how many there were."""
    through = PrisonReturnLine.organisations.through
    return _line_clear(
        actor=actor,
        prison_return=prison_return,
        expected_version=expected_version,
        pathway=pathway,
        action="return_line_organisations_clear",
        rows=lambda line: through.objects.filter(prisonreturnline_id=line.pk),
    )


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
    proposed = ProposedOrganisation(line=line, name=name, sector=sector)
    _line_edit(
        actor=actor,
        prison_return=prison_return,
        expected_version=expected_version,
        line=line,
        action="return_line_proposed_add",
        edit=proposed.save,
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
    _line_edit(
        actor=actor,
        prison_return=prison_return,
        expected_version=expected_version,
        line=line,
        action="return_line_proposed_remove",
        edit=proposed.delete,
        removed=f"{proposed.name} ({proposed.sector})",
    )
    return line


@transaction.atomic
def prison_line_proposed_clear(
    *, actor: Any, prison_return: PrisonReturn, expected_version: int, pathway: Pathway
) -> int:
    """Take every proposed organisation off a pathway; how many there were."""
    return _line_clear(
        actor=actor,
        prison_return=prison_return,
        expected_version=expected_version,
        pathway=pathway,
        action="return_line_proposed_clear",
        rows=lambda line: ProposedOrganisation.objects.filter(line_id=line.pk),
    )


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
