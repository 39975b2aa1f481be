"""Checking a region's import file whole, and planning what saving it would do.

The file itself passes ``core.uploads.check_upload`` (size, type by content, zip bombs, formulas
refused) and is read as the prison return upload reads it (``returns.upload.read_xlsx``,
``read_csv``: python-calamine, each cell as the text a person would type). Then every row is
checked and every problem collected as a ``CellProblem`` (sheet, row, column, value found, what was
expected), none stopping the others being found: wrong or missing headings, a missing value, codes
not in their lists (commissioner, pathway, sector, funding source, ...), IDs given twice, money
that is not an amount or is negative, an end before its start, sub-contracts worth more than their
contract (with the contract's other sub-contracts), an organisation in two sectors, registration
numbers of the wrong shape.

``plan_import`` gives the ``Plan``: the problems, the warnings (shown apart: they do not stop the
import) and, for each row, what saving it would do: a new record, an update of one (and which
fields), or nothing. A row is matched to the record it made before by the file's own ID, kept as
the record's external reference in the region, so the same file uploaded again changes nothing.
An organisation not yet imported is matched by its charity or company number; a close name is a
question for the uploader (``answers``), never a silent merge. ``services.import_save`` checks the
file again against the region as it is by then and saves the plan, so the plan is never stale.

The checking is split by theme into the modules beside this one (``_common`` what every kind
shares, then one module per kind, ``planning`` the whole); everything is imported from here.
"""

from stepchange.imports.checking._common import (
    DATE_FORMATS,
    MAX_IMPORT_ROWS,
    MONEY,
    NEW,
    Plan,
    PlannedRow,
    Planner,
    Progress,
    Warning,
    parse_date,
    parse_money,
    read_file,
    rows_of,
    sheet_name,
)
from stepchange.imports.checking.contracts import CONTRACT_NAMES, ContractPlanner
from stepchange.imports.checking.establishments import CODE, ESTABLISHMENT_NAMES, EstablishmentPlanner
from stepchange.imports.checking.grants import GRANT_NAMES, GrantPlanner
from stepchange.imports.checking.organisations import ORGANISATION_NAMES, OrganisationPlanner
from stepchange.imports.checking.planning import plan_import, planner_for
from stepchange.imports.checking.sub_contracts import SUB_CONTRACT_NAMES, SubContractPlanner

__all__ = [
    "CODE",
    "CONTRACT_NAMES",
    "DATE_FORMATS",
    "ESTABLISHMENT_NAMES",
    "GRANT_NAMES",
    "MAX_IMPORT_ROWS",
    "MONEY",
    "NEW",
    "ORGANISATION_NAMES",
    "SUB_CONTRACT_NAMES",
    "ContractPlanner",
    "EstablishmentPlanner",
    "GrantPlanner",
    "OrganisationPlanner",
    "Plan",
    "PlannedRow",
    "Planner",
    "Progress",
    "SubContractPlanner",
    "Warning",
    "parse_date",
    "parse_money",
    "plan_import",
    "planner_for",
    "read_file",
    "rows_of",
    "sheet_name",
]
