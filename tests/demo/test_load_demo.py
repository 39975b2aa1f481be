"""``load_demo`` builds the region once and, run again, changes nothing; everyone can sign in."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.hashers import check_password
from django.core.management import call_command

from stepchange.accounts.models import Role, User
from stepchange.contracts.models import Contract, MainGrant
from stepchange.core.models import Region
from stepchange.demo.build import PASSWORD
from stepchange.organisations.models import Commissioner, Operator, Sector

pytestmark = pytest.mark.usefixtures("db")

APPS = ("core", "accounts", "organisations", "contracts", "returns", "reports")


def fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: its row count and a checksum of every value in it, in primary-key order."""
    out = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows = list(model._default_manager.order_by("pk").values_list())
            out[model._meta.db_table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


def test_running_it_again_changes_nothing(demo: str) -> None:
    before = fingerprint()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "0 rows created, 0 updated, 0 removed" in out.getvalue()
    assert fingerprint() == before


def test_a_stale_demo_contract_is_removed_and_a_changed_one_restored(demo: str) -> None:
    Contract.objects.filter(reference="DEMO-SYPA-001").update(annual_value=1)
    stale = Contract.objects.get(reference="DEMO-SYPA-002")
    stale.pk = None
    stale.reference = "DEMO-SYPA-999"
    stale.save()
    call_command("load_demo", stdout=io.StringIO())
    assert not Contract.objects.filter(reference="DEMO-SYPA-999").exists()
    assert Contract.objects.get(reference="DEMO-SYPA-001").annual_value > 1


def test_it_prints_a_sign_in_for_every_persona(demo: str) -> None:
    for username in (
        "rom.commissioner",
        "sypa.manager",
        "hypa.manager",
        "nypa.manager",
        "wypa.manager",
        "leeds.coordinator",
        "doncaster.coordinator",
        "area.analyst",
        "foundation.provider",
        "private.provider",
        "evaluator",
        "forum.member",
        "national.admin",
        "admin",
    ):
        assert username in demo
    hashes = set(User.objects.filter(email__endswith="@example.org").values_list("password", flat=True))
    assert all(check_password(PASSWORD, encoded) for encoded in hashes)
    assert PASSWORD in demo
    roles = set(User.objects.filter(email__endswith="@example.org").values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="sypa.manager").commissioner.code == "SYPA"


def test_regions_commissioners_and_grants(demo: str) -> None:
    assert set(Region.objects.values_list("code", flat=True)) >= {
        "NE",
        "NW",
        "YH",
        "EM",
        "WM",
        "EE",
        "LON",
        "SE",
        "SW",
    }
    assert list(Region.objects.filter(holds_contracts=True).values_list("code", flat=True)) == ["YH"]
    yh = Commissioner.objects.filter(region__code="YH")
    assert sorted(yh.filter(kind="probation").values_list("code", flat=True)) == ["HYPA", "NYPA", "SYPA", "WYPA"]
    assert yh.get(code="ROM-YH").kind == "regional"
    assert yh.filter(kind="prison").count() == 14
    private = yh.filter(kind="prison", operator=Operator.PRIVATE)
    assert sorted(p.name for p in private) == ["HMP & YOI Doncaster", "HMP Wolds"]
    assert set(private.values_list("organisation__sector", flat=True)) == {Sector.PRIVATE}
    # 19,430,000 + 13,550,000 + 7,920,000 + 30,760,000 = 71,660,000.
    finals = {g.commissioner.code: g.final for g in MainGrant.objects.filter(year__name="2006-07")}
    assert sum(v for v in finals.values() if v is not None) == 71_660_000
    for grant in MainGrant.objects.filter(year__name="2007-08"):
        last_year = finals[grant.commissioner.code]
        assert last_year is not None and grant.indicative is not None
        # "a slight increase (under 5%)"
        assert last_year < grant.indicative < last_year * 105 / 100
        assert grant.final is None


def test_the_roles_that_must_use_two_factors_get_a_printed_app_key_and_backup_codes(demo) -> None:
    from base64 import b32decode

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    line = next(line for line in demo.splitlines() if line.strip().startswith("rom.commissioner:"))
    key = line.split("app key ")[1].split(";")[0]
    device = TOTPDevice.objects.get(user__username="rom.commissioner", confirmed=True)
    # The printed key is the device's own: an app given it shows the codes the service accepts.
    assert b32decode(key) == device.bin_key
    assert TOTP(b32decode(key)).token() == TOTP(device.bin_key).token()
    codes = line.split("backup codes ")[1].split(", ")
    assert set(
        StaticToken.objects.filter(device__user__username="rom.commissioner").values_list("token", flat=True)
    ) == set(codes)
    assert not TOTPDevice.objects.filter(user__username="sypa.manager").exists()
