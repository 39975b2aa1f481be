"""The API's writes: the pages' own forms check what is sent, the apps' services save it, so a
request gets the words a page would show, each with the field it is about.

Every write needs a token (401 without), and carries the version of the thing as it was read:
a stale version is refused (409) and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.http import parse_etags
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from stepchange.api import serializers as shapes
from stepchange.api.access import has_token_person
from stepchange.api.base import etag_of, person
from stepchange.api.errors import Conflict, problem, validation_errors
from stepchange.api.views import ContractDetailRead, ContractListRead
from stepchange.contracts import services as contract_services
from stepchange.contracts.access import commissioners_managed_by, contracts_editable_by, contracts_visible_to
from stepchange.contracts.forms import ContractForm
from stepchange.contracts.models import Contract, ContractKind
from stepchange.core.concurrency import StaleEdit
from stepchange.returns import services as return_services
from stepchange.returns.access import may_change_return, returns_visible_to
from stepchange.returns.forms import CoordinatorPostForm, PrisonLineForm
from stepchange.returns.models import PrisonReturn, ReturnKind
from stepchange.returns.selectors import prison_pathways, running_last_quarter

WRITE_ERRORS = {status: shapes.ErrorSerializer for status in (400, 401, 403, 404, 409, 412, 429)}
NOT_A_DICT = "Send a JSON object"


def _need_token(request: Request) -> None:
    if not has_token_person(person(request)):
        raise exceptions.NotAuthenticated("Writing needs a token: Authorization: Bearer <token>.")


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [NOT_A_DICT]})
    return dict(request.data)


def _as_form_data(body: dict[str, Any]) -> dict[str, Any]:
    """JSON values as a form reads them: numbers as their text, lists kept, null as empty."""
    data: dict[str, Any] = {}
    for key, value in body.items():
        if value is None:
            data[key] = ""
        elif isinstance(value, list):
            data[key] = [str(item) for item in value]
        elif isinstance(value, bool):
            data[key] = "true" if value else ""
        elif isinstance(value, dict):
            data[key] = "{}"  # never a valid value of any field: the form says what it wanted
        else:
            data[key] = str(value)
    return data


def _form_errors(form: Any, *, under: str | None = None) -> list[dict[str, Any]]:
    found = []
    for field, messages in form.errors.items():
        name = None if field == "__all__" else field
        where = f"{under}.{name}" if under and name else (name or under)
        found += [{"field": where, "message": str(message)} for message in messages]
    return found


def _version(body: dict[str, Any], what: str) -> int:
    value = body.get("version")
    if isinstance(value, bool) or not isinstance(value, int):
        raise exceptions.ValidationError({"version": [f"Send the version of the {what} you read, a whole number"]})
    return value


def _current(contract: Contract) -> dict[str, Any]:
    """A contract's fields as its form reads them: what an update leaves out stays as it is."""
    return {
        "reference": contract.reference,
        "title": contract.title,
        "commissioner": str(contract.commissioner_id),
        "prime": str(contract.prime_id),
        "pathways": [p.code for p in contract.pathways.all()],
        "annual_value": str(contract.annual_value),
        "start": contract.start.isoformat(),
        "end": contract.end.isoformat() if contract.end else "",
        "funding_source": contract.funding_source,
        "funder": contract.funder,
        "kind": contract.kind,
        "published": "true" if contract.published else "",
        "notes": contract.notes,
    }


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = StaleEdit.message


def _save_contract(request: Request, contract: Contract | None, *, matched_version: int | None = None) -> Response:
    body = _body(request)
    if matched_version is not None and "version" not in body:
        body["version"] = matched_version
    expected = _version(body, "contract") if contract is not None else None
    body.pop("version", None)
    data = _current(contract) if contract is not None else {"kind": ContractKind.CONTRACT}
    data.update(_as_form_data(body))
    form = ContractForm(data, user=person(request))
    if not form.is_valid():
        return problem(400, _form_errors(form))
    try:
        if contract is None:
            saved = contract_services.contract_create(actor=person(request), **form.service_arguments())
        else:
            saved = contract_services.contract_update(
                actor=person(request), contract=contract, expected_version=expected or 0, **form.service_arguments()
            )
    except StaleEdit as stale:
        raise Conflict() from stale
    except ValidationError as refused:
        return problem(400, validation_errors(refused))
    shown = contracts_visible_to(person(request)).get(pk=saved.pk)
    context = {"worked_with": {saved.pk}, "request": request}
    return Response(shapes.ContractSerializer(shown, context=context).data, status=201 if contract is None else 200)


class ContractList(ContractListRead):
    @extend_schema(
        operation_id="contracts_create",
        tags=["contracts"],
        request=shapes.ContractWriteSerializer,
        responses={201: shapes.ContractSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """Record a contract, as the contract form of the pages does (for a commissioner the person manages)."""
        _need_token(request)
        if not commissioners_managed_by(person(request)).exists():
            raise exceptions.PermissionDenied("You do not manage any commissioner's contracts.")
        return _save_contract(request, None)


class ContractDetail(ContractDetailRead):
    @extend_schema(
        operation_id="contracts_update",
        tags=["contracts"],
        request=shapes.ContractUpdateSerializer,
        responses={200: shapes.ContractSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Change a contract, with the version read (or, instead, ``If-Match`` with the ETag of the
        contract as read: 412 if it has changed since): the fields sent replace the contract's,
        those left out stay as they are; the edit form's checks apply to the whole."""
        _need_token(request)
        contract = contracts_visible_to(person(request)).filter(pk=pk).first()
        if contract is None:
            raise Http404
        if not contracts_editable_by(person(request)).filter(pk=pk).exists():
            raise exceptions.PermissionDenied("You cannot change this contract.")
        matched = None
        if_match = request.META.get("HTTP_IF_MATCH", "")
        if if_match:
            # The ETag of the contract as a GET of it now answers: a different one means it changed.
            now = self.get_serializer(self.get_queryset().get(pk=pk)).data
            if etag_of(JSONRenderer().render(now)) not in parse_etags(if_match):
                raise PreconditionFailed()
            matched = contract.version
        return _save_contract(request, contract, matched_version=matched)


def _own_open_prison_return(request: Request, pk: int) -> PrisonReturn:
    _need_token(request)
    the_return = returns_visible_to(person(request), ReturnKind.PRISON).filter(pk=pk).first()
    if the_return is None:
        raise Http404
    if not may_change_return(person(request), the_return):
        if the_return.is_open:
            raise exceptions.PermissionDenied("You do not fill in this return.")
        raise Conflict(f"This return is {the_return.status.label.lower()}: it cannot be changed now.")
    return the_return


def _detail(the_return: PrisonReturn) -> dict[str, Any]:
    fresh = PrisonReturn.objects.select_related("commissioner", "round__year").get(pk=the_return.pk)
    return dict(shapes.PrisonReturnDetailSerializer(fresh).data)


class PrisonLines(APIView):
    @extend_schema(
        tags=["returns"],
        request=shapes.PrisonLinesWriteSerializer,
        responses={200: shapes.PrisonReturnDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Save pathways' figures of a prison return, and its co-ordinator post, all or none: each
        line is checked by the pathway page's form and saved by its service, the post likewise."""
        the_return = _own_open_prison_return(request, pk)
        body = _body(request)
        version = _version(body, "return")
        lines = body.get("lines", [])
        coordinator = body.get("coordinator")
        if not isinstance(lines, list) or not (lines or coordinator is not None):
            return problem(400, [{"field": "lines", "message": "Send the lines: a list of each pathway's figures"}])
        last = running_last_quarter(the_return)
        pathways = {p.code: p for p in prison_pathways(the_return)}
        checked = []
        errors: list[dict[str, Any]] = []
        for index, line in enumerate(lines):
            where = f"lines.{index}"
            if not isinstance(line, dict):
                errors.append({"field": where, "message": NOT_A_DICT})
                continue
            pathway = pathways.get(str(line.get("pathway", "")))
            if pathway is None:
                errors.append(
                    {
                        "field": f"{where}.pathway",
                        "message": f"Choose a pathway asked of this prison: {', '.join(pathways)}",
                    }
                )
                continue
            data = _as_form_data({k: v for k, v in line.items() if k != "pathway"})
            data["version"] = str(version)
            form = PrisonLineForm(data, last_running=None if last is None else last.get(pathway.pk, 0))
            if not form.is_valid():
                errors += _form_errors(form, under=where)
                continue
            checked.append((index, pathway, form.cleaned_data))
        post: dict[str, Any] | None = None
        if coordinator is not None:
            if not isinstance(coordinator, dict):
                errors.append({"field": "coordinator", "message": NOT_A_DICT})
            else:
                post_form = CoordinatorPostForm({**_as_form_data(coordinator), "version": str(version)})
                if post_form.is_valid():
                    post = post_form.cleaned_data
                else:
                    errors += _form_errors(post_form, under="coordinator")
        if errors:
            return problem(400, errors)
        if version != the_return.version:
            raise Conflict()
        try:
            with transaction.atomic():
                current = version
                for index, pathway, data in checked:
                    try:
                        return_services.prison_line_save(
                            actor=person(request),
                            prison_return=the_return,
                            expected_version=current,
                            pathway=pathway,
                            services_running=data["services_running"],
                            services_started=data["services_started"],
                            services_ended=data["services_ended"],
                            spend=data["spend"],
                        )
                    except ValidationError as refused:
                        raise _LineRefused(validation_errors(refused, under=f"lines.{index}")) from refused
                    current += 1
                if post is not None:
                    try:
                        return_services.coordinator_post_save(
                            actor=person(request),
                            prison_return=the_return,
                            expected_version=current,
                            post=post["post"],
                            fte=post["fte"],
                        )
                    except ValidationError as refused:
                        raise _LineRefused(validation_errors(refused, under="coordinator")) from refused
        except _LineRefused as refused:
            return problem(400, refused.errors)
        except StaleEdit as stale:
            raise Conflict() from stale
        return Response(_detail(the_return))


class _LineRefused(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("a line was refused")
        self.errors = errors


class PrisonSubmit(APIView):
    @extend_schema(
        tags=["returns"],
        request=shapes.SubmitSerializer,
        responses={200: shapes.PrisonReturnDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Submit a prison return for approval after the checks the check-and-submit page runs:
        errors refuse it, each warning needs a reason (``reasons``, by the warning's code)."""
        the_return = _own_open_prison_return(request, pk)
        body = _body(request)
        version = _version(body, "return")
        nil = body.get("nil", False) is True
        reasons = body.get("reasons") or {}
        if not isinstance(reasons, dict):
            return problem(400, [{"field": "reasons", "message": "Send the reasons as an object: code to reason"}])
        try:
            return_services.return_submit(
                actor=person(request),
                the_return=the_return,
                expected_version=version,
                nil=nil,
                reasons={str(k): str(v) for k, v in reasons.items()},
            )
        except return_services.SubmissionRefused as refused:
            errors = [{"field": None, "message": p.message} for p in refused.errors]
            errors += [
                {"field": f"reasons.{w.code}", "message": f"Give a reason for this warning: {w.message}"}
                for w in refused.unconfirmed
            ]
            return problem(400, errors)
        except StaleEdit as stale:
            raise Conflict() from stale
        except ValidationError as refused:
            return problem(400, validation_errors(refused))
        return Response(_detail(the_return))
