"""The service holds every financial year its data uses: a contract that started before 2004-05
(or after 2030-31) is saved, and its year, with those between, is held from then on."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from stepchange.contracts.services import contract_create, contract_update
from stepchange.core.models import FinancialYear
from stepchange.manage.services import probation_return_record
from tests.contracts.test_services import details


def held() -> list[str]:
    return list(FinancialYear.objects.order_by("start").values_list("name", flat=True))


def test_a_contract_from_1999_is_saved_and_its_years_are_held_without_a_gap(cast):
    assert held()[0] == "2004-05"

    contract = contract_create(actor=cast.bob, **details(cast, start=datetime.date(1999, 6, 1), end=None))

    assert contract.start == datetime.date(1999, 6, 1)
    years = held()
    assert years[:6] == ["1999-00", "2000-01", "2001-02", "2002-03", "2003-04", "2004-05"]
    assert FinancialYear.objects.get(name="1999-00").start == datetime.date(1999, 4, 1)
    assert FinancialYear.objects.get(name="1999-00").end == datetime.date(2000, 3, 31)
    # Each later year follows the one before it, to the last one held.
    starts = list(FinancialYear.objects.order_by("start").values_list("start", flat=True))
    assert all(later.year == earlier.year + 1 for earlier, later in itertools.pairwise(starts))


def test_an_edit_to_an_earlier_start_holds_that_year(cast):
    contract = contract_create(actor=cast.bob, **details(cast))
    contract_update(
        actor=cast.bob,
        contract=contract,
        expected_version=contract.version,
        **details(cast, start=datetime.date(2003, 4, 1)),
    )
    assert held()[0] == "2003-04"


def test_a_refused_contract_holds_no_year(cast):
    contract_create(actor=cast.bob, **details(cast))
    with pytest.raises(ValidationError):
        contract_create(actor=cast.bob, **details(cast, start=datetime.date(2001, 4, 1)))  # its reference is taken
    assert held()[0] == "2004-05"


def test_a_probation_return_recorded_after_the_last_year_holds_the_years_up_to_it(cast):
    probation_return_record(actor=cast.alice, commissioner=cast.sypa, as_at=datetime.date(2032, 5, 1))
    assert held()[-3:] == ["2030-31", "2031-32", "2032-33"]
