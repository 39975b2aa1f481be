"""Every write to rounds and returns: keyword-only, one transaction each, an audit event each.

Who may call which service is decided by the views through ``returns.access``; the services check
the state of the return (only an open return is changed, only a submitted one approved).

The services are split by theme into the modules beside this one; everything is imported from here.
"""

from stepchange.returns.services._common import DONE, SUBMITTED_ACTIONS, done_already
from stepchange.returns.services.prison import (
    area_contract_add,
    area_contract_remove,
    area_contracts_confirm,
    coordinator_post_save,
    prison_line_organisation_add,
    prison_line_organisation_remove,
    prison_line_organisations_clear,
    prison_line_proposed_add,
    prison_line_proposed_clear,
    prison_line_proposed_remove,
    prison_line_save,
)
from stepchange.returns.services.probation import probation_line_add, probation_line_change, probation_line_save
from stepchange.returns.services.rounds import round_open
from stepchange.returns.services.sign_off import (
    SubmissionRefused,
    return_approve,
    return_reopen,
    return_send_back,
    return_submit,
)

__all__ = [
    "DONE",
    "SUBMITTED_ACTIONS",
    "SubmissionRefused",
    "area_contract_add",
    "area_contract_remove",
    "area_contracts_confirm",
    "coordinator_post_save",
    "done_already",
    "prison_line_organisation_add",
    "prison_line_organisation_remove",
    "prison_line_organisations_clear",
    "prison_line_proposed_add",
    "prison_line_proposed_clear",
    "prison_line_proposed_remove",
    "prison_line_save",
    "probation_line_add",
    "probation_line_change",
    "probation_line_save",
    "return_approve",
    "return_reopen",
    "return_send_back",
    "return_submit",
    "round_open",
]
