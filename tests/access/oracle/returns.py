"""The oracle of quarterly returns (see tests/access/rounds.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from stepchange.core.models import Pathway
from stepchange.returns.models import PrisonReturnLine, ProposedOrganisation
from tests.access.oracle.base import NOT_ALLOWED, SIGN_IN, Case, _in, allowed, guarded, post_only
from tests.access.world import PERSONAS, World

# Those who see HMP Leeds's return: the region's commissioner and analyst, and its co-ordinator.
SEES_LEEDS = {"alice", "frank", "grace", "root"}
# And HMP Durham's, in the North East: Nick, Rita and Pat, its co-ordinator.
SEES_DURHAM = {"nick", "pat", "rita", "root"}


# Quarterly returns (docs/access.md; returns/access.py): filled in by the prison's co-ordinator or the
# area's probation manager, seen by the region's analyst (prisons) and commissioner (all), signed
# off by the analyst (prisons) and the regional commissioner (probation). See tests/access/rounds.py.
def returns_oracle() -> dict[str, Callable[[World], list[Case]]]:
    def r(w: World) -> Any:
        return w.rounds

    def each(pages: dict[str, tuple[Any, set[str]]], **extra: Any) -> list[Case]:
        return [guarded(label, ok, pk=obj.pk, **extra) for label, (obj, ok) in pages.items()]

    def filling(w: World, **extra: Any) -> list[Case]:
        return each(
            {
                "HMP Leeds": (r(w).leeds, {"frank", "root"}),
                "HMP Doncaster": (r(w).doncaster, {"root"}),
                "HMP Durham, North East": (r(w).durham, {"pat", "root"}),
            },
            **extra,
        )

    def buttons(w: World) -> list[Case]:
        """A pathway page's row buttons (add, remove): POST only, for those who fill the return in."""
        fillers = {
            "HMP Leeds": (r(w).leeds, {"frank", "root"}),
            "HMP Doncaster": (r(w).doncaster, {"root"}),
            "HMP Durham, North East": (r(w).durham, {"pat", "root"}),
        }
        return [post_only(label, ok, pk=obj.pk, code="accommodation") for label, (obj, ok) in fillers.items()]

    def contract_buttons(w: World) -> list[Case]:
        """The area-wide contracts page's row buttons: POST only, for those who fill the return in."""
        return [
            post_only(case.label, {p for p, outcome in case.post.items() if outcome == "ok"}, **case.kwargs)
            for case in filling(w)
        ]

    def by_kind(w: World, prison: dict[str, set[str]], probation: dict[str, set[str]]) -> list[Case]:
        returns = {
            "HMP Leeds": r(w).leeds,
            "HMP Doncaster": r(w).doncaster,
            "HMP Durham, North East": r(w).durham,
            "SYPA": r(w).sypa,
            "WYPA": r(w).wypa,
            "NEPA": r(w).nepa,
        }
        cases = [guarded(f"prison, {label}", ok, kind="prison", pk=returns[label].pk) for label, ok in prison.items()]
        cases += [
            guarded(f"probation, {label}", ok, kind="probation", pk=returns[label].pk)
            for label, ok in probation.items()
        ]
        cases.append(guarded("a kind of return there is not", set(), kind="nonsense", pk=r(w).leeds.pk))
        return cases

    def read_only(ok: set[str]) -> tuple[dict[str, str], dict[str, str]]:
        """A page read by ``ok`` and posted to by nobody: the ``get`` and ``post`` of its Case."""
        return allowed(ok), {p: SIGN_IN if p == "signed out" else NOT_ALLOWED for p in PERSONAS}

    def downloads(w: World) -> list[Case]:
        return [
            Case("HMP Leeds", {"pk": r(w).leeds.pk}, *read_only(SEES_LEEDS)),
            Case("HMP Doncaster", {"pk": r(w).doncaster.pk}, *read_only({"alice", "grace", "root"})),
            Case("HMP Durham, North East", {"pk": r(w).durham.pk}, *read_only(SEES_DURHAM)),
        ]

    def probation_downloads(w: World) -> list[Case]:
        return [
            Case("SYPA", {"pk": r(w).sypa.pk}, *read_only({"alice", "bob", "root"})),
            Case("WYPA", {"pk": r(w).wypa.pk}, *read_only({"alice", "carol", "root"})),
            Case("NEPA", {"pk": r(w).nepa.pk}, *read_only({"nick", "olga", "root"})),
        ]

    def stored_upload(w: World) -> Any:
        leeds = r(w).leeds
        found = leeds.uploads.first()
        if found is None:
            content = b"not the template at all"
            found = leeds.uploads.create(
                uploaded_by=w.cast.frank,
                uploaded_at=timezone.now(),
                file_format="csv",
                display_name="leeds-q1.csv",
                content=content,
                sha256="0" * 64,
                size=len(content),
                template_version=1,
                rules_version=1,
                based_on_version=leeds.version,
                result_version=leeds.version,
            )
        return found

    def proposal(the_return: Any, name: str) -> Any:
        """An organisation proposed on the return's accommodation line (made the first time asked)."""
        accommodation = Pathway.objects.get(code="accommodation")
        line, _ = PrisonReturnLine.objects.get_or_create(prison_return=the_return, pathway=accommodation)
        found, _ = ProposedOrganisation.objects.get_or_create(line=line, name=name, defaults={"sector": "vcs"})
        return found

    return _in(
        "rounds",
        {
            # Organisations proposed in prison returns: the regional team of the prison's region reviews them.
            "returns:proposals": lambda w: [guarded("the queue", {"alice", "nick", "root"})],
            "returns:proposal": lambda w: [
                guarded("proposed by HMP Leeds", {"alice", "root"}, pk=proposal(r(w).leeds, "Leeds Oracle Advice").pk),
                guarded(
                    "proposed by HMP Durham, North East",
                    {"nick", "root"},
                    pk=proposal(r(w).durham, "Durham Oracle Advice").pk,
                ),
            ],
            "returns:rounds": lambda w: [
                guarded("list", {"alice", "bob", "carol", "frank", "grace", "root", "nick", "olga", "pat", "rita"})
            ],
            "returns:round-create": lambda w: [guarded("open", {"alice", "grace", "root", "nick", "rita"})],
            "returns:round": lambda w: each(
                {
                    "prison Q1, Y&H": (r(w).prison, {"alice", "frank", "grace", "root"}),
                    "prison Q1, North East": (r(w).north_east, SEES_DURHAM),
                    "probation Q3, Y&H": (r(w).probation, {"alice", "bob", "carol", "root"}),
                    "probation Q3, North East": (r(w).north_east_probation, {"nick", "olga", "root"}),
                }
            ),
            "returns:prison": lambda w: each(
                {
                    "HMP Leeds": (r(w).leeds, {"alice", "frank", "grace", "root"}),
                    "HMP Doncaster": (r(w).doncaster, {"alice", "grace", "root"}),
                    "HMP Durham, North East": (r(w).durham, SEES_DURHAM),
                }
            ),
            "returns:prison-pathway": lambda w: filling(w, code="accommodation"),
            # The pathway page's lists: a button per row, and "Remove all" with its confirmation page.
            "returns:prison-pathway-organisation-add": buttons,
            "returns:prison-pathway-organisation-remove": buttons,
            "returns:prison-pathway-organisations-remove-all": lambda w: filling(w, code="accommodation"),
            "returns:prison-pathway-proposed-add": buttons,
            "returns:prison-pathway-proposed-remove": buttons,
            "returns:prison-pathway-proposed-remove-all": lambda w: filling(w, code="accommodation"),
            "returns:prison-post": filling,
            "returns:prison-contracts": filling,
            "returns:prison-contract-add": lambda w: contract_buttons(w),
            "returns:prison-contract-remove": lambda w: contract_buttons(w),
            # The spreadsheet route: whoever sees a prison return downloads its template (GET only);
            # whoever fills it in uploads; a stored upload is seen with its return.
            "returns:prison-template": lambda w: downloads(w),
            "returns:prison-csv": lambda w: downloads(w),
            "returns:prison-upload": filling,
            "returns:prison-upload-detail": lambda w: [
                Case(
                    "HMP Leeds's upload",
                    {"pk": r(w).leeds.pk, "upload_pk": stored_upload(w).pk},
                    *read_only(SEES_LEEDS),
                ),
                Case(
                    "HMP Leeds's upload through HMP Doncaster's return",
                    {"pk": r(w).doncaster.pk, "upload_pk": stored_upload(w).pk},
                    *read_only(set()),
                ),
            ],
            "returns:probation": lambda w: each(
                {
                    "SYPA": (r(w).sypa, {"alice", "bob", "root"}),
                    "WYPA": (r(w).wypa, {"alice", "carol", "root"}),
                    "NEPA": (r(w).nepa, {"nick", "olga", "root"}),
                }
            ),
            "returns:probation-add": lambda w: each(
                {
                    "SYPA": (r(w).sypa, {"bob", "root"}),
                    "WYPA": (r(w).wypa, {"carol", "root"}),
                    "NEPA": (r(w).nepa, {"olga", "root"}),
                }
            ),
            # The probation spreadsheet route: whoever sees the return downloads its template (GET
            # only); whoever fills it in uploads.
            "returns:probation-template": lambda w: probation_downloads(w),
            "returns:probation-csv": lambda w: probation_downloads(w),
            "returns:probation-upload": lambda w: each(
                {
                    "SYPA": (r(w).sypa, {"bob", "root"}),
                    "WYPA": (r(w).wypa, {"carol", "root"}),
                    "NEPA": (r(w).nepa, {"olga", "root"}),
                }
            ),
            "returns:probation-line": lambda w: [
                guarded("SYPA's line", {"bob", "root"}, pk=r(w).sypa.pk, line_pk=r(w).sypa_line.pk),
                guarded("WYPA's line", {"carol", "root"}, pk=r(w).wypa.pk, line_pk=r(w).wypa_line.pk),
                guarded("WYPA's line through SYPA's return", set(), pk=r(w).sypa.pk, line_pk=r(w).wypa_line.pk),
            ],
            "returns:check": lambda w: by_kind(
                w,
                {"HMP Leeds": {"frank", "root"}, "HMP Doncaster": {"root"}, "HMP Durham, North East": {"pat", "root"}},
                {"SYPA": {"bob", "root"}, "WYPA": {"carol", "root"}, "NEPA": {"olga", "root"}},
            ),
            "returns:approve": lambda w: by_kind(
                w,
                {"HMP Leeds": {"grace", "root"}, "HMP Durham, North East": {"rita", "root"}},
                {"SYPA": {"alice", "root"}, "WYPA": {"alice", "root"}, "NEPA": {"nick", "root"}},
            ),
            "returns:send-back": lambda w: by_kind(
                w,
                {"HMP Leeds": {"grace", "root"}, "HMP Durham, North East": {"rita", "root"}},
                {"SYPA": {"alice", "root"}, "WYPA": {"alice", "root"}, "NEPA": {"nick", "root"}},
            ),
            "returns:reopen": lambda w: by_kind(
                w,
                {
                    "HMP Leeds": {"frank", "grace", "root"},
                    "HMP Doncaster": {"grace", "root"},
                    "HMP Durham, North East": {"pat", "rita", "root"},
                },
                {
                    "SYPA": {"alice", "bob", "root"},
                    "WYPA": {"alice", "carol", "root"},
                    "NEPA": {"nick", "olga", "root"},
                },
            ),
        },
    )


ORACLE = returns_oracle()
