"""Community-engagement records: who keeps and who reads them, the services' refusals, the
annual review and what changed, the region's gap roll-up worked by hand, the CSV, the to-do."""

from __future__ import annotations

import csv
import datetime
import io
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from stepchange.core.audit import AuditEvent
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Region
from stepchange.core.periods import Quarter
from stepchange.engagement import access, selectors, services, todo
from stepchange.engagement.models import Link
from stepchange.engagement.pack import SECTIONS
from stepchange.organisations.models import Commissioner, CommissionerKind, Operator, Sector
from stepchange.pack.sections import declared_sections
from tests.engagement.world import group, make_action, make_link, make_requirement, pathway
from tests.factories import CommissionerFactory, OrganisationFactory
from tests.fixture_types import ClientFor
from tests.personas import Cast

D = datetime.date

FIELDS = {
    "partner_name": "Hull BME Network",
    "partner_contact": "Jo Khan, 01482 000000",
    "establishment_contact": "Race Equality Officer",
    "partner_nature": "A BME-led community network",
    "purpose": "Consult on the establishment's race equality policies",
    "benefits": "A community perspective in impact assessments",
    "partner_funding": "Travel expenses",
    "contact_nature": "Quarterly consultation meetings",
    "contact_details": "12/6/2006, 14/9/2006",
    "evaluation": "Well attended",
    "future_plans": "Join the Race Equality Action Team",
    "organisation": None,
    "started_on": D(2006, 6, 12),
}


def _data(**over: object) -> dict[str, object]:
    return {**FIELDS, "groups": [group("bme")], "pathways": [pathway("ete")], **over}


def _prison(cast: Cast, code: str, name: str, region: Region | None = None) -> Commissioner:
    return CommissionerFactory.create(
        code=code,
        region=region or cast.region,
        kind=CommissionerKind.PRISON,
        operator=Operator.PUBLIC,
        organisation__name=name,
    )


@pytest.mark.django_db
def test_who_sees_which_establishment(cast: Cast) -> None:
    hull = _prison(cast, "HULL", "HMP Hull")
    durham = _prison(cast, "DURH", "HMP Durham", region=cast.other_region)
    seen = {
        name: set(access.establishments_visible_to(getattr(cast, name)).values_list("code", flat=True))
        for name in ("alice", "bob", "dave", "frank", "grace", "heidi", "nadia", "root")
    }
    assert seen == {
        "alice": {"LEEDS", "HULL"},
        "bob": set(),
        "dave": set(),
        "frank": {"LEEDS"},
        "grace": {"LEEDS", "HULL"},
        "heidi": set(),
        "nadia": set(),
        "root": {"LEEDS", "HULL", durham.code},
    }
    assert access.may_keep_records(cast.frank, cast.leeds)
    assert not access.may_keep_records(cast.frank, hull)
    assert not access.may_keep_records(cast.grace, cast.leeds)
    assert not access.may_keep_records(cast.alice, cast.leeds)
    assert [access.may_use_engagement(getattr(cast, n)) for n in ("alice", "frank", "grace", "dave")] == [
        False,
        True,
        True,
        False,
    ]
    assert [access.may_see_regional_gaps(getattr(cast, n)) for n in ("alice", "frank", "grace", "root")] == [
        True,
        False,
        True,
        True,
    ]


@pytest.mark.django_db
def test_the_coordinator_adds_a_link_with_one_audit_event_and_no_one_else_may(cast: Cast) -> None:
    before = AuditEvent.objects.count()
    link = services.link_create(actor=cast.frank, establishment=cast.leeds, data=_data())
    assert (link.partner_name, link.version, [g.code for g in link.groups.all()]) == ("Hull BME Network", 1, ["bme"])
    assert AuditEvent.objects.count() == before + 1
    for who in (cast.grace, cast.alice, cast.dave):
        with pytest.raises(PermissionDenied):
            services.link_create(actor=who, establishment=cast.leeds, data=_data())
    assert Link.objects.count() == 1


@pytest.mark.django_db
def test_a_stale_change_is_refused_and_nothing_is_overwritten(cast: Cast) -> None:
    link = services.link_create(actor=cast.frank, establishment=cast.leeds, data=_data())
    services.link_update(actor=cast.frank, link=link, data=_data(evaluation="Very good"), version=1)
    with pytest.raises(StaleEdit):
        services.link_update(actor=cast.frank, link=link, data=_data(evaluation="Stale"), version=1)
    link.refresh_from_db()
    assert (link.evaluation, link.version) == ("Very good", 2)


@pytest.mark.django_db
def test_a_review_keeps_the_fields_and_says_what_changed_field_by_field(cast: Cast) -> None:
    link = services.link_create(actor=cast.frank, establishment=cast.leeds, data=_data())
    now = datetime.datetime(2007, 6, 20, 10, tzinfo=datetime.UTC)
    services.link_review(actor=cast.frank, link=link, reviewed_on=D(2006, 12, 1), notes="First", version=1, now=now)
    assert selectors.since_last_review(link) == []
    services.link_update(
        actor=cast.frank,
        link=link,
        data=_data(evaluation="Very good", groups=[group("bme"), group("faith")]),
        version=2,
    )
    link.refresh_from_db()
    changed = selectors.since_last_review(link)
    assert [(c.label, c.before, c.after) for c in changed or []] == [
        ("Evaluation of the contact to date", "Well attended", "Very good"),
        ("Groups served", "Black and minority ethnic people", "Black and minority ethnic people, Faith communities"),
    ]
    services.link_review(actor=cast.frank, link=link, reviewed_on=D(2007, 6, 1), notes="Second", version=3, now=now)
    history = selectors.review_history(link)
    assert [row.review.notes for row in history] == ["Second", "First"]
    assert [c.label for c in history[0].changed or []] == ["Evaluation of the contact to date", "Groups served"]
    assert history[1].changed is None
    # A review in the future, or before the last one, is refused; so is the analyst's.
    with pytest.raises(ValidationError, match="today or in the past"):
        services.link_review(actor=cast.frank, link=link, reviewed_on=D(2007, 6, 21), notes="", version=4, now=now)
    with pytest.raises(ValidationError, match="on or after the last review"):
        services.link_review(actor=cast.frank, link=link, reviewed_on=D(2007, 5, 1), notes="", version=4, now=now)
    with pytest.raises(PermissionDenied):
        services.link_review(actor=cast.grace, link=link, reviewed_on=D(2007, 6, 2), notes="", version=4, now=now)


@pytest.mark.django_db
def test_ending_a_link_opens_the_gap_it_covered(cast: Cast) -> None:
    link = services.link_create(actor=cast.frank, establishment=cast.leeds, data=_data())
    requirement = services.requirement_create(
        actor=cast.frank,
        establishment=cast.leeds,
        data={"group": group("bme"), "pathway": None, "description": "BME links", "priority": "high"},
    )
    today = D(2007, 6, 1)
    assert [r.gap for r in selectors.requirement_rows(cast.leeds, today)] == [False]
    with pytest.raises(ValidationError, match="on or after the link started"):
        services.link_end(actor=cast.frank, link=link, ended_on=D(2006, 1, 1), reason="", version=1)
    services.link_end(actor=cast.frank, link=link, ended_on=today, reason="The group closed", version=1)
    rows = selectors.requirement_rows(cast.leeds, today)
    assert (rows[0].requirement, rows[0].gap) == (requirement, True)
    with pytest.raises(ValidationError, match="already ended"):
        services.link_end(actor=cast.frank, link=link, ended_on=today, reason="", version=2)


@pytest.mark.django_db
def test_a_requirement_names_a_group_or_a_pathway_not_both(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="not both"):
        services.requirement_create(
            actor=cast.frank,
            establishment=cast.leeds,
            data={"group": group("bme"), "pathway": pathway("ete"), "description": "x", "priority": "low"},
        )


@pytest.mark.django_db
def test_the_regional_roll_up_worked_by_hand(cast: Cast) -> None:
    """Leeds requires BME (covered by the Leeds BME Forum), women (no link: a gap) and
    accommodation (its only link ended: a gap). Hull requires BME (its BME link serves faith
    only: a gap) twice over (counted once) and women (covered). Durham, in the North East, has a
    BME gap that Alice's roll-up leaves out.

    By group: BME required by 2 (Leeds, Hull), a gap at 1 (Hull); Women required by 2, a gap at
    1 (Leeds). By pathway: Accommodation required by 1, a gap at 1 (Leeds). 3 gaps in all."""
    today = D(2007, 6, 1)
    hull = _prison(cast, "HULL", "HMP Hull")
    durham = _prison(cast, "DURH", "HMP Durham", region=cast.other_region)
    make_link(cast.leeds, "Leeds BME Forum", groups=("bme",))
    make_link(cast.leeds, "Shelter Leeds", pathways=("accommodation",), ended_on=D(2007, 3, 31))
    make_link(hull, "Hull Faith Forum", groups=("faith",))
    make_link(hull, "Hull Women's Centre", groups=("women",))
    make_requirement(cast.leeds, group_code="bme")
    make_requirement(cast.leeds, group_code="women")
    make_requirement(cast.leeds, pathway_code="accommodation")
    make_requirement(hull, group_code="bme")
    make_requirement(hull, group_code="bme", priority="low")
    make_requirement(hull, group_code="women")
    make_requirement(durham, group_code="bme")

    rollup = selectors.regional_gaps(access.establishments_visible_to(cast.alice), today)
    assert [(c.subject, c.required_by, c.establishments) for c in rollup.by_group] == [
        ("Black and minority ethnic people", 2, ("HMP Hull",)),
        ("Women", 2, ("HMP Leeds",)),
    ]
    assert [(c.subject, c.required_by, c.establishments) for c in rollup.by_pathway] == [
        ("Accommodation", 1, ("HMP Leeds",))
    ]
    assert (rollup.total_gaps, rollup.establishments) == (3, 2)
    summaries = {
        s.establishment.code: (s.current_links, s.overdue, s.gaps)
        for s in selectors.summaries(access.establishments_visible_to(cast.alice), today)
    }
    # Leeds: 1 current link (Shelter ended); started 1/6/2006, 365 days before 1/6/2007: in time.
    # Gaps: women and accommodation. Hull: 2 current links; gaps: the two BME requirements.
    assert summaries == {"LEEDS": (1, 0, 2), "HULL": (2, 0, 2)}


@pytest.mark.django_db
def test_the_csv_has_every_field_and_makes_formulas_safe(cast: Cast, client_for: ClientFor) -> None:
    make_link(cast.leeds, "=HYPERLINK(1)", groups=("bme", "women"), evaluation="+1 good")
    response = client_for(cast.grace).get(reverse("engagement:download", args=[cast.leeds.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == selectors.CSV_HEADINGS
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][9] == "'+1 good"
    assert rows[1][12] == "Black and minority ethnic people; Women"
    assert client_for(cast.dave).get(reverse("engagement:download", args=[cast.leeds.pk])).status_code == 404


@pytest.mark.django_db
def test_the_coordinator_is_told_of_links_overdue_for_review(cast: Cast) -> None:
    """A link started 1/6/2006 and never reviewed falls due 1/6/2007; on 2/6/2007 it is overdue."""
    link = make_link(cast.leeds, "Leeds BME Forum", started_on=D(2006, 6, 1))
    ended = make_link(cast.leeds, "Closed group", started_on=D(2006, 1, 1), ended_on=D(2006, 12, 31))
    on_time = datetime.datetime(2007, 6, 1, 12, tzinfo=datetime.UTC)
    late = datetime.datetime(2007, 6, 2, 12, tzinfo=datetime.UTC)
    assert todo.overdue_reviews(cast.frank, on_time) == []
    items = todo.overdue_reviews(cast.frank, late)
    assert [(i.text, i.deadline, i.url) for i in items] == [
        ("Review the link with Leeds BME Forum", D(2007, 6, 1), reverse("engagement:link", args=[link.pk]))
    ]
    assert ended.pk not in [i.url for i in items]
    assert todo.overdue_reviews(cast.grace, late) == []


@pytest.mark.django_db
def test_the_pages_for_the_coordinator_and_the_analyst(cast: Cast, client_for: ClientFor) -> None:
    OrganisationFactory.create(name="Leeds BME Forum Ltd", sector=Sector.VCS, region=cast.region)
    link = make_link(cast.leeds, "Leeds B.M.E. Forum", groups=("bme",))
    requirement = make_requirement(cast.leeds, group_code="women")
    action = make_action(requirement)
    frank, grace = client_for(cast.frank), client_for(cast.grace)
    page = frank.get(reverse("engagement:establishment", args=[cast.leeds.pk])).content.decode()
    assert "Add a community link" in page and "Gap" in page and action.description in page
    page = grace.get(reverse("engagement:establishment", args=[cast.leeds.pk])).content.decode()
    assert "Add a community link" not in page and "Leeds B.M.E. Forum" in page
    page = frank.get(reverse("engagement:link", args=[link.pk])).content.decode()
    # rapidfuzz's suggestion from the directory: "leeds b m e forum" against "leeds bme forum".
    assert "A similar name is in the directory: Leeds BME Forum Ltd (a similar name (" in page
    assert grace.get(reverse("engagement:link-edit", args=[link.pk])).status_code == 404
    assert grace.get(reverse("engagement:gaps")).status_code == 200
    assert frank.get(reverse("engagement:gaps")).status_code == 404


@pytest.mark.django_db
def test_a_link_added_and_reviewed_from_the_pages_closes_the_gap(cast: Cast, client_for: ClientFor) -> None:
    make_requirement(cast.leeds, group_code="women")
    frank = client_for(cast.frank)
    with mock.patch("stepchange.engagement.views.timezone.localdate", return_value=D(2007, 6, 1)):
        response = frank.post(
            reverse("engagement:link-add", args=[cast.leeds.pk]),
            {
                "partner_name": "Women's Centre",
                "groups": [str(group("women").pk)],
                "started_on": "1/5/2007",
                "version": "0",
            },
        )
        assert response.status_code == 302
        link = Link.objects.get(partner_name="Women's Centre")
        assert [r.gap for r in selectors.requirement_rows(cast.leeds, D(2007, 6, 1))] == [False]
        response = frank.post(
            reverse("engagement:link-review", args=[link.pk]),
            {"reviewed_on": "1/6/2007", "notes": "", "version": str(link.version)},
        )
    assert response.status_code == 302
    assert link.reviews.get().reviewed_on == D(2007, 6, 1)


@pytest.mark.django_db
def test_two_pages_opened_together_the_second_save_is_refused(cast: Cast, client_for: ClientFor) -> None:
    """A link's change page and its review page, both opened at version 1: the change is saved,
    the review is refused with the stale-edit message and records nothing. Two change pages of
    one action likewise."""
    link = make_link(cast.leeds, "Leeds BME Forum", groups=("bme",))
    first, second = client_for(cast.frank), client_for(cast.frank)
    edit_url, review_url = (reverse(n, args=[link.pk]) for n in ("engagement:link-edit", "engagement:link-review"))
    assert 'name="version" value="1"' in first.get(edit_url).content.decode()
    assert 'name="version" value="1"' in second.get(review_url).content.decode()
    saved = first.post(
        edit_url, {"partner_name": "Leeds BME Forum", "started_on": "1/6/2006", "evaluation": "Good", "version": "1"}
    )
    assert saved.status_code == 302
    refused = second.post(review_url, {"reviewed_on": "1/6/2007", "notes": "", "version": "1"})
    assert refused.status_code == 200
    assert "Someone else changed this record" in refused.content.decode()
    assert not link.reviews.exists()

    action = make_action(make_requirement(cast.leeds, group_code="women"))
    url = reverse("engagement:action-edit", args=[action.pk])
    data = {"description": action.description, "owner": "Diversity Manager", "due_on": "30/9/2007", "version": "1"}
    assert first.post(url, {**data, "status": "in_progress"}).status_code == 302
    refused = second.post(url, {**data, "status": "done"})
    assert "Someone else changed this record" in refused.content.decode()
    action.refresh_from_db()
    assert (action.status, action.version) == ("in_progress", 2)


@pytest.mark.django_db
def test_the_packs_section_is_the_roll_up_page_on_the_quarters_last_day(cast: Cast, client_for: ClientFor) -> None:
    """Leeds requires women (no link) and BME (the forum covers it until it ends on 1/1/2007, its
    end day already ended). On 31/12/2006, the end of 2006-07 Q3, one gap (women); the page read
    on that day says the same, and the section's template renders it."""
    make_link(cast.leeds, "Leeds BME Forum", groups=("bme",), ended_on=D(2007, 1, 1))
    make_requirement(cast.leeds, group_code="bme")
    make_requirement(cast.leeds, group_code="women")
    (section,) = SECTIONS
    assert section in declared_sections()
    q3 = Quarter(year="2006-07", number=3, start=D(2006, 10, 1), end=D(2006, 12, 31))
    context = section.build(cast.region, q3)
    with mock.patch("stepchange.engagement.views.timezone.localdate", return_value=D(2006, 12, 31)):
        page = client_for(cast.alice).get(reverse("engagement:gaps"))
    assert context["rollup"] == page.context["rollup"]
    assert context["rollup"].total_gaps == 1
    assert [(c.subject, c.establishments) for c in context["rollup"].by_group] == [
        ("Black and minority ethnic people", ()),
        ("Women", ("HMP Leeds",)),
    ]
    html = render_to_string(section.template, dict(context))
    assert "1 gap in all" in html and "HMP Leeds" in html


@pytest.mark.django_db
def test_the_area_analyst_approves_a_review_once_with_a_comment(cast: Cast, client_for: ClientFor) -> None:
    link = services.link_create(actor=cast.frank, establishment=cast.leeds, data=_data())
    now = datetime.datetime(2007, 6, 20, 10, tzinfo=datetime.UTC)
    review = services.link_review(
        actor=cast.frank, link=link, reviewed_on=D(2007, 6, 1), notes="Fine", version=1, now=now
    )
    assert [i.text for i in todo.reviews_to_approve(cast.grace, now)] == [
        "Approve the review of Hull BME Network, HMP Leeds"
    ]
    for who in (cast.frank, cast.alice, cast.dave):
        with pytest.raises(PermissionDenied):
            services.review_approve(actor=who, review=review, comment="")
    page = client_for(cast.grace).get(reverse("engagement:link", args=[link.pk])).content.decode()
    assert reverse("engagement:review-approve", args=[review.pk]) in page
    response = client_for(cast.grace).post(
        reverse("engagement:review-approve", args=[review.pk]), {"comment": "Good work."}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.approved_by, review.analyst_comment) == (cast.grace, "Good work.")
    assert todo.reviews_to_approve(cast.grace, now) == []
    with pytest.raises(ValidationError, match="already been approved"):
        services.review_approve(actor=cast.grace, review=review, comment="Again")
    # Approved, the page is gone for everyone.
    assert client_for(cast.grace).get(reverse("engagement:review-approve", args=[review.pk])).status_code == 404
