"""The grants made, as 360Giving open data (the 360Giving Data Standard 1.4.3), JSON and CSV.

Identifiers:

- a grant: ``GRANT_PREFIX`` + the region's code + ``-sg-`` + the application's number, e.g.
  ``360G-stepchange-yh-sg-12``. ``360G-stepchange`` stands for the publisher's own 360Giving
  prefix: a publisher that registers one changes ``GRANT_PREFIX`` here and every identifier
  changes with it. The application's number never changes, so neither does the identifier;
- the funder (the region's team): the same prefix and the region's code, ``360G-stepchange-yh``;
- a recipient: by org-id.guide's schemes, its charity number first (``GB-CHC-1099999``), else its
  company number (``GB-COH-04567890``), else (no registered number) an identifier of the
  publisher's own, ``360G-stepchange-org-<number>``.

Amounts are numbers in pounds (GBP), worked out in Decimal and written in their shortest form.
``schema_errors`` validates a package offline against the schema files in ``standards/``
(see ``standards/README.md``); nothing is fetched.
"""

from __future__ import annotations

import datetime
import functools
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from stepchange.core.exports import SafeCsvWriter
from stepchange.funding.models import GrantApplication
from stepchange.organisations.identifiers import CHARITY_SCHEME, COMPANY_SCHEME
from stepchange.organisations.models import Organisation

GRANT_PREFIX = "360G-stepchange"
STANDARDS = Path(__file__).parent / "standards"
GRANT_SCHEMA_URL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def region_prefix(region_code: str) -> str:
    return f"{GRANT_PREFIX}-{region_code.lower()}"


def grant_id(application: GrantApplication) -> str:
    return f"{region_prefix(application.round.region.code)}-sg-{application.pk}"


def recipient_id(organisation: Organisation) -> str:
    if organisation.charity_number:
        return f"{CHARITY_SCHEME}-{organisation.charity_number}"
    if organisation.company_number:
        return f"{COMPANY_SCHEME}-{organisation.company_number}"
    return f"{GRANT_PREFIX}-org-{organisation.pk}"


def _amount(value: Decimal) -> int | float:
    """An amount as a JSON number. Its shortest form is written (4500.5 for £4,500.50), which reads
    back as the same pounds and pence: an amount of at most 12 digits and 2 places survives a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _recipient(organisation: Organisation) -> dict[str, Any]:
    found: dict[str, Any] = {"id": recipient_id(organisation), "name": organisation.name}
    if organisation.charity_number:
        found["charityNumber"] = organisation.charity_number
    if organisation.company_number:
        found["companyNumber"] = organisation.company_number
    return found


def _funder(application: GrantApplication) -> dict[str, Any]:
    region = application.round.region
    return {"id": region_prefix(region.code), "name": f"{region.name} regional offender management team"}


def grant(application: GrantApplication, *, base_url: str) -> dict[str, Any]:
    grants_round = application.round
    assert application.amount_awarded is not None and application.decided_on is not None
    return {
        "id": grant_id(application),
        "title": application.project_title,
        "description": application.summary,
        "currency": "GBP",
        "amountAppliedFor": _amount(application.amount_requested),
        "amountAwarded": _amount(application.amount_awarded),
        "awardDate": application.decided_on.isoformat(),
        "plannedDates": [{"startDate": application.start_on.isoformat(), "endDate": application.end_on.isoformat()}],
        "recipientOrganization": [_recipient(application.organisation)],
        "fundingOrganization": [_funder(application)],
        "grantProgramme": [
            {
                "code": f"{region_prefix(grants_round.region.code)}-round-{grants_round.pk}",
                "title": grants_round.name,
                "url": base_url + reverse("funding:round", args=[grants_round.pk]),
            }
        ],
        "fromOpenCall": "Yes",
        "url": base_url + reverse("funding:round", args=[grants_round.pk]),
    }


def package(
    applications: Iterable[GrantApplication], *, base_url: str | None = None, now: datetime.datetime
) -> dict[str, Any]:
    base_url = (base_url if base_url is not None else settings.PUBLIC_BASE_URL).rstrip("/")
    grants = [grant(application, base_url=base_url) for application in applications]
    return {
        "grants": grants,
        "version": "1.4",
        "title": "Small grants made by the regional offender management teams",
        "issued": now.isoformat(timespec="seconds"),
        "publisher": {"name": "Step Change", "identifier": GRANT_PREFIX, "website": base_url + "/"},
        "license": LICENSE,
        "downloadURL": base_url + reverse("funding:360giving"),
    }


def package_json(
    applications: Iterable[GrantApplication], *, base_url: str | None = None, now: datetime.datetime
) -> str:
    return json.dumps(package(applications, base_url=base_url, now=now), ensure_ascii=False, indent=2)


CSV_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
]


def package_csv(
    applications: Iterable[GrantApplication], *, base_url: str | None = None, now: datetime.datetime
) -> str:
    """The same grants, one a row, with the column titles of 360Giving's spreadsheet template."""
    out = io.StringIO()
    writer = SafeCsvWriter(out)  # text a spreadsheet would run as a formula gets a leading '

    writer.writerow(CSV_COLUMNS)
    for item in package(applications, base_url=base_url, now=now)["grants"]:
        recipient, funder, programme = (
            item["recipientOrganization"][0],
            item["fundingOrganization"][0],
            item["grantProgramme"][0],
        )
        writer.writerow(
            [
                item["id"],
                item["title"],
                item["description"],
                item["currency"],
                f"{Decimal(str(item['amountAppliedFor'])):.2f}",
                f"{Decimal(str(item['amountAwarded'])):.2f}",
                item["awardDate"],
                item["plannedDates"][0]["startDate"],
                item["plannedDates"][0]["endDate"],
                recipient["id"],
                recipient["name"],
                recipient.get("charityNumber", ""),
                recipient.get("companyNumber", ""),
                funder["id"],
                funder["name"],
                programme["code"],
                programme["title"],
            ]
        )
    return out.getvalue()


# Validation, offline.


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((STANDARDS / name).read_text(encoding="utf-8"))
    return loaded


@functools.cache
def _validator() -> Any:
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    formats = jsonschema.FormatChecker()

    @formats.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        # A date alone is not a date-time: the schema's "date-time or YYYY-MM-DD" is a oneOf, which
        # would match both ways if a date passed as a date-time.
        if not isinstance(value, str):
            return True
        parsed = datetime.datetime.fromisoformat(value)
        if "T" not in value or parsed.tzinfo is None:
            raise ValueError(f"{value} is not a date-time with an offset")
        return True

    @formats.checks("uri")
    def _uri(value: object) -> bool:
        from urllib.parse import urlparse

        return not isinstance(value, str) or bool(urlparse(value).scheme and urlparse(value).netloc)

    registry: Registry = Registry().with_resource(
        GRANT_SCHEMA_URL, DRAFT202012.create_resource(_load("360-giving-schema.json"))
    )
    return jsonschema.Draft202012Validator(
        _load("360-giving-package-schema.json"), registry=registry, format_checker=formats
    )


def schema_errors(data: dict[str, Any]) -> list[str]:
    """Every way ``data`` breaks the 360Giving 1.4.3 package schema, each with where it is."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(the package)'}: {error.message}"
        for error in _validator().iter_errors(data)
    ]
