"""The review of organisations proposed in prison returns: accepting one into the directory (as a
new organisation, or as one already there) or rejecting it. One transaction each, one audit event
on the proposal; adding a new organisation is also the directory's own audited
``organisation_create``.

A decision is taken for a name in a region: every proposal of that name (case ignored) awaiting
review in the region's prison returns gets it, so a name carried over from quarter to quarter, or
proposed by two prisons, is decided once. Nothing is merged without the commissioner choosing: the
suggestions (``organisations.matching``) are only offered. Who may decide is the view's question
(``returns.access.proposals_reviewable_by``).

Two people deciding the same name at once: the proposals' rows are locked, so the second waits,
then is told who decided it and when (``AlreadyDone``); nothing is decided twice.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stepchange.core.audit import audit_record
from stepchange.core.concurrency import already_done
from stepchange.organisations.identifiers import clean_charity_number, clean_company_number
from stepchange.organisations.matching import same_numbers
from stepchange.organisations.models import Organisation
from stepchange.organisations.services import organisation_create
from stepchange.returns.models import ProposalStatus, ProposedOrganisation
from stepchange.returns.selectors import same_name_awaiting


def directory_candidates() -> Any:
    """The directory organisations a proposed one may turn out to be: every organisation that is
    not a commissioner (a prison or probation area delivers nothing on a prison's pathway)."""
    return Organisation.objects.filter(commissioner__isnull=True)


def _awaiting(proposal: ProposedOrganisation) -> list[ProposedOrganisation]:
    """The proposals this decision takes (``proposal`` first), their rows locked; refused when it
    is gone, ``AlreadyDone`` when someone decided it meanwhile."""
    current = (
        ProposedOrganisation.objects.select_for_update(of=("self",))
        .select_related("line__prison_return__commissioner", "decided_by")
        .filter(pk=proposal.pk)
        .first()
    )
    if current is None:
        raise ValidationError("The prison has taken this organisation off its return: there is nothing to decide.")
    if current.decided_at is not None:
        did = (
            "accepted this organisation into the directory"
            if current.status == ProposalStatus.ACCEPTED
            else "rejected this organisation"
        )
        raise already_done(current, by=current.decided_by, at=current.decided_at, did=did, then="here is the decision.")
    others = list(same_name_awaiting(current).exclude(pk=current.pk).select_for_update(of=("self",)).order_by("pk"))
    return [current, *others]


def _decide(
    *, actor: Any, proposals: list[ProposedOrganisation], action: str, organisation: Organisation | None, reason: str
) -> None:
    standing = proposals[0]
    now = timezone.now()
    ProposedOrganisation.objects.filter(pk__in=[p.pk for p in proposals], decided_at__isnull=True).update(
        organisation=organisation,
        decided_at=now,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        rejected_reason=reason,
    )
    after: dict[str, Any] = {"name": standing.name, "proposals": len(proposals)}
    if organisation is not None:
        after["organisation"] = organisation.name
    else:
        after["reason"] = reason
    audit_record(
        actor=actor, action=action, obj=standing, before={"status": str(ProposalStatus.AWAITING.label)}, after=after
    )
    standing.refresh_from_db()


@transaction.atomic
def proposal_accept_as(*, actor: Any, proposal: ProposedOrganisation, organisation: Organisation) -> Organisation:
    """Accept the proposed name as ``organisation``, already in the directory: the prison's lines
    that proposed it are linked to it."""
    proposals = _awaiting(proposal)
    if not directory_candidates().filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"decision": f"{organisation.name} cannot deliver on a prison's pathway: choose another."}
        )
    _decide(actor=actor, proposals=proposals, action="proposal_accept", organisation=organisation, reason="")
    return organisation


@transaction.atomic
def proposal_accept_new(
    *,
    actor: Any,
    proposal: ProposedOrganisation,
    name: str,
    sector: str,
    charity_number: str = "",
    company_number: str = "",
) -> Organisation:
    """Add the proposed organisation to the directory, in the prison's region, and link the lines
    that proposed it to it. Refused when the directory has the name already, or an organisation
    with the same charity or company number: then it may be that one, which the reviewer chooses."""
    proposals = _awaiting(proposal)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter the organisation's name as the directory should show it."})
    if sector not in {"vcs", "private"}:
        raise ValidationError({"sector": "Select whether the organisation is voluntary and community or private."})
    charity_number = clean_charity_number(charity_number)
    company_number = clean_company_number(company_number)
    same_name = Organisation.objects.filter(name__iexact=name).first()
    if same_name is not None:
        raise ValidationError(
            {"name": f"{same_name.name} is in the directory already: if it is this organisation, accept it as that one"}
        )
    for match in same_numbers(Organisation.objects.all(), charity_number=charity_number, company_number=company_number):
        raise ValidationError(
            f"{match.organisation.name} in the directory has {match.why}: if it is this organisation, accept it as "
            "that one; if not, check the number."
        )
    organisation = organisation_create(
        actor=actor,
        fields={
            "name": name,
            "sector": sector,
            "charity_number": charity_number,
            "company_number": company_number,
            "region": proposals[0].line.prison_return.commissioner.region,
        },
    )
    _decide(actor=actor, proposals=proposals, action="proposal_accept", organisation=organisation, reason="")
    return organisation


@transaction.atomic
def proposal_reject(*, actor: Any, proposal: ProposedOrganisation, reason: str) -> ProposedOrganisation:
    """Reject the proposed name, saying why (the prison reads it on its return)."""
    proposals = _awaiting(proposal)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the organisation is not accepted into the directory."})
    _decide(actor=actor, proposals=proposals, action="proposal_reject", organisation=None, reason=reason)
    return proposals[0]
