"""What the community-engagement pages read: each establishment's links with their review state,
its requirements with their gaps, what changed between reviews, and the region's gap roll-up."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet

from stepchange.engagement import rules
from stepchange.engagement.models import LINK_FIELDS, Link, Requirement, Review
from stepchange.organisations.models import Commissioner

# What a review keeps of a link beside the ten fields: (key, label).
TAGS = (("groups", "Groups served"), ("pathways", "Pathways"), ("organisation", "Directory organisation"))
LABELS = dict(LINK_FIELDS) | dict(TAGS)


def link_fields(link: Link) -> dict[str, Any]:
    """The link as a review keeps it: the ten fields, the groups and pathways by name, and the
    directory organisation's name (empty when none)."""
    data: dict[str, Any] = {name: getattr(link, name) for name, _label in LINK_FIELDS}
    data["groups"] = [g.name for g in link.groups.all()]
    data["pathways"] = [p.name for p in link.pathways.all()]
    data["organisation"] = link.organisation.name if link.organisation else ""
    return data


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return str(value or "")


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Field by field, in the order's order, what differs between two states of a link."""
    return [
        Change(LABELS[key], _text(before.get(key)), _text(after.get(key)))
        for key in LABELS
        if _text(before.get(key)) != _text(after.get(key))
    ]


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    changed: list[Change] | None  # since the review before it; None for the first


def review_history(link: Link) -> list[ReviewRow]:
    """The link's reviews, newest first, each with what changed since the one before it."""
    reviews = list(link.reviews.select_related("reviewed_by"))
    rows = []
    for i, review in enumerate(reviews):
        earlier = reviews[i + 1] if i + 1 < len(reviews) else None
        rows.append(ReviewRow(review, changes(earlier.fields, review.fields) if earlier else None))
    return rows


def since_last_review(link: Link) -> list[Change] | None:
    """What has changed in the link since its last review (None: never reviewed)."""
    last = link.reviews.first()
    return None if last is None else changes(last.fields, link_fields(link))


@dataclass(frozen=True)
class LinkRow:
    link: Link
    last_reviewed_on: datetime.date | None
    due_on: datetime.date | None  # None for an ended link: no review is asked of it
    overdue: bool
    current: bool


def with_reviews(links: QuerySet[Link]) -> QuerySet[Link]:
    return links.annotate(last_review=Max("reviews__reviewed_on")).prefetch_related("groups", "pathways")


def link_row(link: Link, today: datetime.date) -> LinkRow:
    """A link with its review state. ``link`` comes through ``with_reviews``."""
    last = getattr(link, "last_review", None)
    current = rules.is_current(link, today)
    ended = link.ended_on is not None and link.ended_on <= today
    since = last or link.started_on
    return LinkRow(
        link=link,
        last_reviewed_on=last,
        due_on=None if ended else rules.review_due_on(since),
        overdue=not ended and rules.review_overdue(since, today),
        current=current,
    )


def link_rows(links: QuerySet[Link], today: datetime.date) -> list[LinkRow]:
    return [link_row(link, today) for link in with_reviews(links).order_by("partner_name", "pk")]


@dataclass
class RequirementRow:
    requirement: Requirement
    covering: list[Link]
    actions: list[Any] = field(default_factory=list)

    @property
    def gap(self) -> bool:
        return not self.covering


def requirement_rows(establishment: Commissioner, today: datetime.date) -> list[RequirementRow]:
    """The establishment's requirements, each with the current links covering it (none: a gap)
    and its action plan."""
    links = list(with_reviews(Link.objects.filter(establishment=establishment)))
    requirements = (
        Requirement.objects.filter(establishment=establishment)
        .select_related("group", "pathway")
        .prefetch_related("actions")
    )
    return [RequirementRow(r, rules.covering_links(r, links, today), list(r.actions.all())) for r in requirements]


@dataclass(frozen=True)
class GapCell:
    subject: str  # the group's or pathway's name
    establishments: tuple[str, ...]  # the establishments with a gap for it, by name
    required_by: int  # how many establishments require it

    @property
    def gaps(self) -> int:
        return len(self.establishments)


@dataclass(frozen=True)
class RollUp:
    by_group: list[GapCell]
    by_pathway: list[GapCell]
    establishments: int  # how many establishments the roll-up reads

    @property
    def total_gaps(self) -> int:
        return sum(c.gaps for c in self.by_group) + sum(c.gaps for c in self.by_pathway)


def regional_gaps(establishments: QuerySet[Commissioner], today: datetime.date) -> RollUp:
    """Across the establishments: for each group and each pathway some establishment requires,
    how many require it and which have a gap for it. An establishment with two requirements for
    one group counts once: it has a gap for the group when either is a gap."""
    required: dict[tuple[str, int, str, int], set[str]] = {}
    gapped: dict[tuple[str, int, str, int], set[str]] = {}
    for establishment in establishments.select_related("organisation"):
        for row in requirement_rows(establishment, today):
            r = row.requirement
            subject = r.group or r.pathway
            assert subject is not None  # the database holds one of the two
            key = ("group" if r.group else "pathway", subject.order, subject.name, 0)
            required.setdefault(key, set()).add(establishment.name)
            if row.gap:
                gapped.setdefault(key, set()).add(establishment.name)

    def cells(kind: str) -> list[GapCell]:
        return [
            GapCell(key[2], tuple(sorted(gapped.get(key, set()))), len(names))
            for key, names in sorted(required.items())
            if key[0] == kind
        ]

    return RollUp(by_group=cells("group"), by_pathway=cells("pathway"), establishments=establishments.count())


@dataclass(frozen=True)
class EstablishmentSummary:
    establishment: Commissioner
    current_links: int
    overdue: int
    gaps: int
    recorded: bool  # whether it has recorded any link or requirement yet


def summaries(establishments: QuerySet[Commissioner], today: datetime.date) -> list[EstablishmentSummary]:
    out = []
    for establishment in establishments.order_by("organisation__name"):
        rows = link_rows(Link.objects.filter(establishment=establishment), today)
        requirements = requirement_rows(establishment, today)
        out.append(
            EstablishmentSummary(
                establishment,
                current_links=sum(1 for r in rows if r.current),
                overdue=sum(1 for r in rows if r.overdue),
                gaps=sum(1 for r in requirements if r.gap),
                recorded=bool(rows or requirements),
            )
        )
    return out


CSV_HEADINGS = [
    *(label for _name, label in LINK_FIELDS),
    "Directory organisation",
    "Groups served",
    "Pathways",
    "Started on",
    "Ended on",
    "Last reviewed on",
    "Review due by",
    "Review overdue",
]


def csv_rows(establishment: Commissioner, today: datetime.date) -> list[list[Any]]:
    """The establishment's links, one row each, in ``CSV_HEADINGS``' order."""
    rows = []
    for row in link_rows(Link.objects.filter(establishment=establishment).select_related("organisation"), today):
        link = row.link
        rows.append(
            [
                *(getattr(link, name) for name, _label in LINK_FIELDS),
                link.organisation.name if link.organisation else "",
                "; ".join(g.name for g in link.groups.all()),
                "; ".join(p.name for p in link.pathways.all()),
                link.started_on,
                link.ended_on,
                row.last_reviewed_on,
                row.due_on,
                "Yes" if row.overdue else "No",
            ]
        )
    return rows
