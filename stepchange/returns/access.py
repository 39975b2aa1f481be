"""Who may see, fill in, open and sign off which returns: the only place that decides it.

- regional commissioner: every round and return of their region; opens probation rounds and
  approves or returns probation returns;
- area office analyst: the prison rounds and returns of their region; opens prison rounds and
  approves or returns prison returns;
- prison co-ordinator: their own establishment's returns, to see and fill in;
- probation contracts manager: their own area's returns, to see and fill in;
- Django superuser: everything;
- organisations proposed in prison returns: the regional commissioner of the prison's region
  reviews them (accepts into the directory or rejects); the prison sees what became of its own on
  its return's pages;
- everyone else, signed out included: nothing (a 404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stepchange.core import access
from stepchange.core.roles import Role
from stepchange.returns.models import PrisonReturn, ProbationReturn, ProposedOrganisation, ReturnKind, ReturnRound

MODELS: dict[str, type[PrisonReturn] | type[ProbationReturn]] = {
    ReturnKind.PRISON: PrisonReturn,
    ReturnKind.PROBATION: ProbationReturn,
}
# Who fills in each kind of return, and who opens its rounds and signs it off.
FILLER: dict[str, str] = {ReturnKind.PRISON: Role.PRISON_COORDINATOR, ReturnKind.PROBATION: Role.PROBATION_MANAGER}
SIGNER: dict[str, str] = {ReturnKind.PRISON: Role.AREA_ANALYST, ReturnKind.PROBATION: Role.REGIONAL_COMMISSIONER}


def _region_id(user: Any) -> int:
    """The user's region, or 0 (no region has it) so that a filter by it matches nothing."""
    return access.user_region_id(user) or 0


def rounds_visible_to(user: Any) -> QuerySet[ReturnRound]:
    rounds = ReturnRound.objects.select_related("year", "region")
    if access.is_superuser(user):
        return rounds.all()
    if access.is_regional_commissioner(user):
        return rounds.filter(region_id=_region_id(user))
    if access.has_role(user, Role.AREA_ANALYST):
        return rounds.filter(region_id=_region_id(user), kind=ReturnKind.PRISON)
    commissioner = access.own_commissioner(user)
    for kind, role in FILLER.items():
        if access.has_role(user, role) and commissioner is not None:
            return rounds.filter(kind=kind, commissioners=commissioner)
    return rounds.none()


def round_kinds_openable_by(user: Any) -> list[str]:
    """The kinds of round this user may open: probation for the regional commissioner, prison for the analyst."""
    if access.is_superuser(user):
        return [ReturnKind.PROBATION, ReturnKind.PRISON]
    return [kind for kind, role in SIGNER.items() if access.has_role(user, role) and _region_id(user)]


def returns_visible_to(user: Any, kind: str) -> QuerySet[Any]:
    """The returns of one kind (prison or probation) this user may see."""
    model = MODELS[kind]
    returns = model.objects.select_related("commissioner__organisation", "round__year")
    if access.is_superuser(user):
        return returns.all()
    if access.is_regional_commissioner(user):
        return returns.filter(commissioner__region_id=_region_id(user))
    if kind == ReturnKind.PRISON and access.has_role(user, Role.AREA_ANALYST):
        return returns.filter(commissioner__region_id=_region_id(user))
    commissioner = access.own_commissioner(user)
    if access.has_role(user, FILLER[kind]) and commissioner is not None:
        return returns.filter(commissioner=commissioner)
    return returns.none()


def returns_editable_by(user: Any, kind: str) -> QuerySet[Any]:
    """The returns this user fills in: their own establishment's or area's (a superuser's, any)."""
    model = MODELS[kind]
    if access.is_superuser(user):
        return model.objects.all()
    commissioner = access.own_commissioner(user)
    if access.has_role(user, FILLER[kind]) and commissioner is not None:
        return model.objects.filter(commissioner=commissioner)
    return model.objects.none()


def returns_approvable_by(user: Any, kind: str) -> QuerySet[Any]:
    """The returns this user signs off: the analyst prison returns, the regional commissioner probation ones."""
    model = MODELS[kind]
    if access.is_superuser(user):
        return model.objects.all()
    if access.has_role(user, SIGNER[kind]) and _region_id(user):
        return model.objects.filter(commissioner__region_id=_region_id(user))
    return model.objects.none()


def may_see_returns(user: Any) -> bool:
    """Whether the Returns pages have anything for this user (the navigation asks): whoever has a
    part in returns (``may_use_returns``: with no round yet, the page says so), or sees a round."""
    if not access.is_signed_in(user):
        return False
    if may_use_returns(user):
        return True
    if round_kinds_openable_by(user) or rounds_visible_to(user).exists():
        return True
    # Only returns of a round are listed on the Returns page (the views' round_list); a return
    # recorded without one (the demo's, or one from the return dates page) lists nowhere there.
    return any(returns_editable_by(user, kind).filter(round__isnull=False).exists() for kind in MODELS)


def _may(queryset: QuerySet[Any], the_return: Any) -> bool:
    return bool(queryset.filter(pk=the_return.pk).exists())


def may_change_return(user: Any, the_return: Any) -> bool:
    """Whether this person may change this return now: they fill it in and it is still open
    (not submitted, approved or superseded)."""
    return the_return.is_open and _may(returns_editable_by(user, the_return.kind), the_return)


def may_sign_off_return(user: Any, the_return: Any) -> bool:
    """Whether this person may approve this return, or return it for correction, now: they sign
    off its kind in its region and it waits on a sign-off."""
    return the_return.awaits_sign_off and _may(returns_approvable_by(user, the_return.kind), the_return)


def may_reopen_return(user: Any, the_return: Any, *, correction_open: bool) -> bool:
    """Whether this person may open a correction of this approved return: whoever fills it in or
    signs it off, while no correction of it is open already (``correction_open``)."""
    if correction_open or not the_return.is_reopenable:
        return False
    kind = the_return.kind
    return _may(returns_editable_by(user, kind), the_return) or _may(returns_approvable_by(user, kind), the_return)


def own_returns(user: Any, kind: str) -> QuerySet[Any]:
    """The returns a person fills in as their own establishment's or area's: a superuser, who may
    fill in any, owns none."""
    if access.is_superuser(user):
        return MODELS[kind].objects.none()
    return returns_editable_by(user, kind)


def upload_establishment_of(user: Any) -> str | None:
    """The establishment or area code a file this person uploads must belong to: their own
    commissioner's (``""``, matching no file, when they have none); ``None`` for a superuser, whose
    file may be any establishment's."""
    if access.is_superuser(user):
        return None
    commissioner = access.own_commissioner(user)
    return commissioner.code if commissioner is not None else ""


def may_use_returns(user: Any) -> bool:
    """Whether this person has a part in returns at all, round or no round: they fill in their own
    establishment's or area's, sign them off or open rounds, or are the regional team. Such a person
    with no return to show is told so; anyone else gets a 404."""
    if not access.is_signed_in(user):
        return False
    if access.is_superuser(user) or access.is_regional_commissioner(user) or round_kinds_openable_by(user):
        return True
    commissioner = access.own_commissioner(user)
    return commissioner is not None and any(
        access.has_role(user, role) and commissioner.kind == kind for kind, role in FILLER.items()
    )


def may_review_proposals(user: Any) -> bool:
    """Whether this person reviews organisations proposed in prison returns: a regional
    commissioner (their region's) and a superuser (any region's)."""
    return access.is_superuser(user) or (access.is_regional_commissioner(user) and bool(_region_id(user)))


def reviews_proposals(user: Any) -> bool:
    """Whether the home page lists the proposed organisations waiting for this person's decision: a
    regional commissioner of a region. A superuser, who may decide any, has none as their own work."""
    return may_review_proposals(user) and not access.is_superuser(user)


def proposals_reviewable_by(user: Any) -> QuerySet[ProposedOrganisation]:
    """The proposed organisations this person accepts or rejects: those of the prison returns of
    their region (a superuser's: every region's)."""
    proposals = ProposedOrganisation.objects.select_related(
        "line__pathway", "line__prison_return__commissioner__organisation", "line__prison_return__round__year"
    )
    if access.is_superuser(user):
        return proposals.all()
    if may_review_proposals(user):
        return proposals.filter(line__prison_return__commissioner__region_id=_region_id(user))
    return proposals.none()


def commissioner_filled_in_by(user: Any) -> Any:
    """The establishment or probation area whose returns this person fills in, or None (they fill
    in none, or, a superuser, any)."""
    if access.is_superuser(user):
        return None
    commissioner = access.own_commissioner(user)
    if commissioner is None:
        return None
    fills = any(access.has_role(user, role) and commissioner.kind == kind for kind, role in FILLER.items())
    return commissioner if fills else None


def fills_in_returns(user: Any) -> bool:
    """Whether the home page lists this person's own returns to fill in: a prison co-ordinator or a
    probation contracts manager of a commissioner (a superuser owns none, as ``own_returns``)."""
    return commissioner_filled_in_by(user) is not None


def return_kinds_signed_off_by(user: Any) -> list[str]:
    """The kinds of return the home page lists for this person to sign off and to chase: probation
    for the regional commissioner, prison for the area office analyst, in their own region. A
    superuser, who may sign off any, has none as their own work."""
    if access.is_superuser(user) or not _region_id(user):
        return []
    return [kind for kind, role in SIGNER.items() if access.has_role(user, role)]


def signs_off_returns(user: Any) -> bool:
    """Whether the home page lists returns for this person to sign off (``return_kinds_signed_off_by``)."""
    return bool(return_kinds_signed_off_by(user))


def people_filling(the_return: Any) -> QuerySet[Any]:
    """Who fills this return in, and so is told about it (returned, approved, due, overdue): the
    active people of its commissioner's organisation in the role that fills its kind."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            organisation_id=the_return.commissioner.organisation_id, role=FILLER[the_return.kind], is_active=True
        )
        .order_by("pk")
    )
