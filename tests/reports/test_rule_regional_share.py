"""The rule of the regional share, weighted by grant and as the plain mean, at its edges."""

from decimal import Decimal

from stepchange.reports.spend.shares import regional_share


def test_weighted_by_grant_and_the_plain_mean_differ_when_grants_differ():
    # 10,000 on 1,000,000 (1%) and 90,000 on 3,000,000 (3%): weighted 100,000 / 4,000,000 = 2.5%,
    # mean (1 + 3) / 2 = 2%.
    spend = {1: Decimal("10000"), 2: Decimal("90000")}
    grants = {1: Decimal("1000000"), 2: Decimal("3000000")}
    assert regional_share(spend, grants, [1, 2]) == (Decimal("2.5"), Decimal("2"))


def test_an_area_without_a_grant_is_left_out_of_both():
    spend = {1: Decimal("10000"), 2: Decimal("90000"), 3: Decimal("50000")}
    grants = {1: Decimal("1000000"), 2: Decimal("3000000")}
    assert regional_share(spend, grants, [1, 2, 3]) == (Decimal("2.5"), Decimal("2"))
    # A grant recorded as nought is no grant.
    assert regional_share(spend, {**grants, 3: Decimal("0")}, [1, 2, 3]) == (Decimal("2.5"), Decimal("2"))


def test_equal_grants_make_the_two_the_same():
    spend = {1: Decimal("10000"), 2: Decimal("30000")}
    grants = {1: Decimal("1000000"), 2: Decimal("1000000")}
    assert regional_share(spend, grants, [1, 2]) == (Decimal("2"), Decimal("2"))


def test_no_area_with_a_grant_gives_no_share():
    assert regional_share({1: Decimal("10000")}, {}, [1]) == (None, None)


def test_only_the_areas_asked_for_count():
    spend = {1: Decimal("10000"), 2: Decimal("90000")}
    grants = {1: Decimal("1000000"), 2: Decimal("3000000")}
    assert regional_share(spend, grants, [1]) == (Decimal("1"), Decimal("1"))
