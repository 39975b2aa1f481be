"""Every write of an import: receive the file, check it (in the worker), answer its questions,
confirm it, save it (in the worker: one transaction, all rows or none) and undo it.

Saving is one audited event: the ``Import`` lists in its ``ImportItem`` rows every record it created
or changed, with the record as it was before and after, and one ``AuditEvent`` names them. Undoing
puts every one back as it was, in one transaction, only while nothing depends on the import: a
record it made that something else now points to (a return line, a sub-contract added by hand or by
a later import, a user), or a record edited since, stops the undo, and the refusal says which.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from stepchange.contracts.models import Contract, MainGrant, SubContract
from stepchange.core.audit import audit_record, snapshot
from stepchange.core.concurrency import StaleEdit, save_if_unchanged
from stepchange.core.models import Region
from stepchange.core.uploads import UploadRefused, display_name
from stepchange.imports.checking import NEW, Plan, plan_import, read_file, rows_of
from stepchange.imports.models import Import, ImportItem, ImportKind, ImportStatus
from stepchange.organisations.models import Commissioner, CommissionerKind, Operator, Organisation, Sector


class ImportNotAllowed(Exception):
    """What was asked cannot be done to the import in the state it is in; ``str()`` says why."""


class UndoRefused(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@transaction.atomic
def import_receive(*, actor: Any, region: Region, kind: str, uploaded_file: Any) -> Import:
    """Keep an uploaded file for checking. A file that cannot be taken at all (not a spreadsheet,
    too large, a formula, no sheet of this kind) raises ``UploadRefused`` and nothing is kept."""
    ImportKind(kind)
    _sheet, rows, content, file_format = read_file(uploaded_file, kind=kind)
    record = Import.objects.create(
        region=region,
        kind=kind,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        uploaded_at=timezone.now(),
        display_name=display_name(getattr(uploaded_file, "name", "")),
        file_format=file_format,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        rows_total=max(len(rows) - 1, 0),
    )
    audit_record(actor=actor, action="import_upload", obj=record, after={"file": record.display_name, "kind": kind})
    return record


def _plan(record: Import, *, answers: dict[str, str] | None = None, progress: Any = None) -> Plan:
    sheet, rows = rows_of(bytes(record.content), record.file_format, kind=record.kind, name=record.display_name)
    return plan_import(
        kind=record.kind, region=record.region, sheet=sheet, rows=rows, answers=answers, progress=progress
    )


def _progress(record: Import) -> Any:
    def report(done: int, total: int) -> None:
        # Outside the check's own reads: a page polling the import sees it move.
        Import.objects.filter(pk=record.pk).update(rows_done=done, rows_total=total)

    return report


def import_check(*, import_id: int) -> Import:
    """Check a received file whole (the worker runs this) and keep what it found: the problems, the
    warnings and the preview. Writes only to the import itself."""
    record = Import.objects.select_related("region").get(pk=import_id)
    if record.checked_at is not None:
        return record
    try:
        plan = _plan(record, answers=record.answers, progress=_progress(record))
    except UploadRefused as refused:
        Import.objects.filter(pk=record.pk).update(refusal=str(refused), checked_at=timezone.now())
        record.refresh_from_db()
        return record
    Import.objects.filter(pk=record.pk).update(
        problems=[_problem_json(p) for p in plan.problems],
        warnings=[vars(w) for w in plan.warnings],
        preview=[] if plan.problems else [row.as_preview() for row in plan.rows],
        checked_at=timezone.now(),
        rows_done=len(plan.rows),
        rows_total=len(plan.rows),
    )
    record.refresh_from_db()
    return record


def _problem_json(problem: Any) -> dict[str, Any]:
    return {
        "kind": problem.kind,
        "sheet": problem.sheet,
        "row": problem.row,
        "column": problem.column,
        "heading": problem.heading,
        "value": problem.value,
        "expected": problem.expected,
    }


@transaction.atomic
def import_answer(*, actor: Any, record: Import, expected_version: int, answers: dict[str, str]) -> Import:
    """The uploader's answers to the preview's close-name questions, kept until the import is confirmed."""
    if record.status != ImportStatus.READY:
        raise ImportNotAllowed(f"This import is {record.status.label.lower()}: its questions cannot be answered now.")
    asked: dict[str, dict[str, Any]] = {str(q["row"]): q["question"] for q in record.questions()}
    kept = dict(record.answers)
    for row, answer in answers.items():
        question = asked.get(row)
        if question is None:
            continue
        choices = {str(option[0]) for option in question["options"]}
        if answer in choices or (answer == NEW and question.get("allow_new")):
            kept[row] = answer
    before = {"answers": record.answers}
    # The preview again with the answers: a name said to be a directory organisation updates it.
    plan = _plan(record, answers=kept)
    save_if_unchanged(
        record,
        expected_version=expected_version,
        fields={
            "answers": kept,
            "problems": [_problem_json(p) for p in plan.problems],
            "warnings": [vars(w) for w in plan.warnings],
            "preview": [row.as_preview() for row in plan.rows],
        },
    )
    audit_record(actor=actor, action="import_answer", obj=record, before=before, after={"answers": kept})
    return record


@transaction.atomic
def import_confirm(*, actor: Any, record: Import, expected_version: int) -> Import:
    """Ask for a checked import to be saved: every question must be answered. The worker saves it."""
    if record.status != ImportStatus.READY:
        raise ImportNotAllowed(f"This import is {record.status.label.lower()}: it cannot be confirmed.")
    unanswered = [str(q["row"]) for q in record.unanswered()]
    if unanswered:
        raise ImportNotAllowed(
            "Answer the question of row"
            + ("s " if len(unanswered) > 1 else " ")
            + ", ".join(unanswered)
            + " first: say which organisation each name is, or that it is a new one."
        )
    save_if_unchanged(
        record,
        expected_version=expected_version,
        fields={
            "confirmed_at": timezone.now(),
            "confirmed_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_record(actor=actor, action="import_confirm", obj=record, after={"counts": record.counts()})
    return record


def import_save(*, import_id: int) -> Import:
    """Save a confirmed import (the worker runs this): the file checked again against the region as
    it is now, then every row saved in one transaction, or, if anything has become wrong since the
    preview, nothing, with the reason kept on the import."""
    record = Import.objects.select_related("region", "confirmed_by").get(pk=import_id)
    if record.status != ImportStatus.SAVING:
        return record
    try:
        with transaction.atomic():
            record = (
                Import.objects.select_for_update(of=("self",))
                .select_related("region", "confirmed_by")
                .get(pk=import_id)
            )
            if record.status != ImportStatus.SAVING:
                return record
            plan = _plan(record, answers=record.answers)
            if plan.problems or plan.unanswered:
                raise ImportNotAllowed(
                    "The region changed after the file was checked, and the file no longer passes: "
                    + "; ".join(str(p) for p in plan.problems[:20])
                    + (" (and more)" if len(plan.problems) > 20 else "")
                    + (" Some questions are unanswered." if plan.unanswered else "")
                )
            _apply(record, plan, actor=record.confirmed_by)
    except ImportNotAllowed as failed:
        Import.objects.filter(pk=record.pk).update(save_failure=str(failed))
    record.refresh_from_db()
    return record


def run_now(
    *, actor: Any, region: Region, kind: str, uploaded_file: Any, answers: dict[str, str], dry_run: bool
) -> tuple[Import, Plan]:
    """The management command's import: received, checked and (unless a dry run) saved at once. A
    dry run keeps nothing, not even the import's own record."""
    if dry_run:
        with transaction.atomic():
            record, plan = _received_and_checked(actor, region, kind, uploaded_file, answers)
            transaction.set_rollback(True)
        return record, plan
    record, plan = _received_and_checked(actor, region, kind, uploaded_file, answers)
    if record.status != ImportStatus.READY or plan.unanswered:
        return record, plan
    import_confirm(actor=actor, record=record, expected_version=record.version)
    return import_save(import_id=record.pk), plan


def _received_and_checked(
    actor: Any, region: Region, kind: str, uploaded_file: Any, answers: dict[str, str]
) -> tuple[Import, Plan]:
    record = import_receive(actor=actor, region=region, kind=kind, uploaded_file=uploaded_file)
    if answers:
        Import.objects.filter(pk=record.pk).update(answers=answers)
        record.refresh_from_db()
    record = import_check(import_id=record.pk)
    plan = _plan(record, answers=record.answers) if not record.refusal else Plan(kind=kind, region=region)
    return record, plan


# Saving ---------------------------------------------------------------------------------------------


def _apply(record: Import, plan: Plan, *, actor: Any) -> None:
    items: list[ImportItem] = []
    region = record.region

    def keep(obj: models.Model, before: dict[str, Any] | None) -> None:
        items.append(
            ImportItem(
                record=record,
                model=obj._meta.label_lower,
                object_id=obj.pk,
                created=before is None,
                before=before,
                after=_state(obj),
                order=len(items),
            )
        )

    # New contracts are written in bulk (a region's file holds thousands: bench/imports.py).
    new_contracts: list[tuple[Contract, list[Any]]] = []
    total = len(plan.rows)
    for row in plan.rows:
        if row.action == "unchanged":
            continue
        values = dict(row.values)
        target = row.target
        before = _state(target) if target is not None else None
        if record.kind == ImportKind.ORGANISATIONS:
            pathways = values.pop("pathways_served")
            sector = values.pop("sector")
            org = target if isinstance(target, Organisation) else Organisation(sector=sector, region=region)
            for name, value in values.items():
                setattr(org, name, value)
            if "external_ref" in values:
                org.external_region = region
            if target is not None:
                org.version += 1
            org.save()
            org.pathways_served.set(pathways)
            keep(org, before)
        elif record.kind == ImportKind.CONTRACTS:
            pathways = values.pop("pathways")
            if target is None:
                new_contracts.append((Contract(**values, external_region=region), pathways))
                continue
            contract = target if isinstance(target, Contract) else Contract()
            for name, value in values.items():
                setattr(contract, name, value)
            contract.external_region = region
            if target is not None:
                contract.version += 1
            contract.save()
            contract.pathways.set(pathways)
            keep(contract, before)
        elif record.kind == ImportKind.SUB_CONTRACTS:
            sub = target if isinstance(target, SubContract) else SubContract()
            for name, value in values.items():
                setattr(sub, name, value)
            sub.external_region = region
            sub.save()
            keep(sub, before)
        elif record.kind == ImportKind.GRANTS:
            grant = target if isinstance(target, MainGrant) else MainGrant()
            for name, value in values.items():
                setattr(grant, name, value)
            grant.external_region = region
            if target is not None:
                grant.version += 1
            grant.save()
            keep(grant, before)
        elif record.kind == ImportKind.ESTABLISHMENTS:
            name = values.pop("name")
            sector = Sector.PRIVATE if values["operator"] == Operator.PRIVATE else Sector.PUBLIC
            if isinstance(target, Commissioner):
                organisation = target.organisation
                if organisation.name != name:
                    org_before = _state(organisation)
                    organisation.name = name
                    organisation.version += 1
                    organisation.save()
                    keep(organisation, org_before)
                commissioner = target
            else:
                organisation = Organisation.objects.create(name=name, sector=sector, region=region)
                keep(organisation, None)
                commissioner = Commissioner(organisation=organisation, kind=CommissionerKind.PRISON, region=region)
            for field, value in values.items():
                setattr(commissioner, field, value)
            commissioner.external_region = region
            commissioner.save()
            keep(commissioner, before)
    if new_contracts:
        _create_contracts(
            new_contracts, keep_new=lambda obj, state: items.append(_item(record, obj, state, len(items)))
        )
    ImportItem.objects.bulk_create(items, batch_size=1000)
    Import.objects.filter(pk=record.pk).update(saved_at=timezone.now(), rows_done=total, rows_total=total)
    audit_record(
        actor=actor,
        action="import_save",
        obj=record,
        after={
            "file": f"{record.display_name} (SHA-256 {record.sha256[:12]}…)",
            "counts": plan.counts(),
            "created": [f"{i.model} {i.object_id}" for i in items if i.created],
            "changed": [f"{i.model} {i.object_id}" for i in items if not i.created],
        },
    )


def _item(record: Import, obj: models.Model, state: dict[str, Any], order: int) -> ImportItem:
    return ImportItem(
        record=record,
        model=obj._meta.label_lower,
        object_id=obj.pk,
        created=True,
        before=None,
        after=state,
        order=order,
    )


def _create_contracts(new: list[tuple[Contract, list[Any]]], *, keep_new: Any) -> None:
    """New contracts and their pathways in a few INSERTs; each one's state as ``_state`` would read it back."""
    created = Contract.objects.bulk_create([contract for contract, _ in new], batch_size=500)
    through = Contract.pathways.through
    through.objects.bulk_create(
        [
            through(contract_id=contract.pk, pathway_id=pathway.pk)
            for contract, (_, pathways) in zip(created, new, strict=True)
            for pathway in pathways
        ],
        batch_size=1000,
    )
    for contract, (_, pathways) in zip(created, new, strict=True):
        state = _fields_state(contract)
        state["pathways"] = sorted(str(p) for p in pathways)
        keep_new(contract, state)


# Undoing --------------------------------------------------------------------------------------------


def _state(obj: models.Model) -> dict[str, Any]:
    """``core.audit.snapshot``, with amounts written as the database keeps them (24500 as
    "24500.00"), so that a record read back compares equal to the one just saved."""
    return _normalised(obj, snapshot(obj))


def _fields_state(obj: models.Model) -> dict[str, Any]:
    """``_state`` without the many-to-many fields (the caller knows them without a query)."""
    data = snapshot(obj, many_to_many=False)
    return _normalised(obj, data)


def _normalised(obj: models.Model, data: dict[str, Any]) -> dict[str, Any]:
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.DecimalField) and data.get(field.name) is not None:
            exponent = Decimal(1).scaleb(-(field.decimal_places or 0))
            data[field.name] = str(Decimal(data[field.name]).quantize(exponent))
    return data


def _describe(obj: models.Model) -> str:
    return f"{obj._meta.verbose_name} “{obj}”"


def undo_blockers(record: Import) -> list[str]:
    """Why the import cannot be undone now, in words; empty when it can."""
    if record.status not in (ImportStatus.SAVED, ImportStatus.UNDOING):
        return [f"the import is {record.status.label.lower()}, not saved"]
    items = list(record.items.all())
    ours = {(i.model, i.object_id) for i in items if i.created}
    reasons = []
    for item in items:
        model = apps.get_model(item.model)
        current = model._base_manager.filter(pk=item.object_id).first()
        if current is None:
            reasons.append(f"the {model._meta.verbose_name} {item.object_id} it saved has since been deleted")
            continue
        if _state(current) != item.after:
            reasons.append(f"{_describe(current)} has been changed since the import")
        if not item.created:
            continue
        for relation in model._meta.related_objects:
            related = relation.related_model
            accessor = relation.field.name
            found = related._base_manager.filter(**{accessor: current})
            for other in found[:5]:
                if (other._meta.label_lower, other.pk) not in ours:
                    reasons.append(f"{_describe(other)} depends on {_describe(current)}")
    return reasons


@transaction.atomic
def import_undo_request(*, actor: Any, record: Import, expected_version: int) -> Import:
    """Ask for a saved import to be undone; the worker undoes it (``import_undo_requested``)."""
    if record.status != ImportStatus.SAVED:
        raise ImportNotAllowed(f"This import is {record.status.label.lower()}: it cannot be undone.")
    save_if_unchanged(
        record,
        expected_version=expected_version,
        fields={
            "undo_requested_at": timezone.now(),
            "undo_requested_by": actor if getattr(actor, "is_authenticated", False) else None,
            "undo_refusal": "",
        },
    )
    audit_record(actor=actor, action="import_undo_request", obj=record)
    return record


def import_undo_requested(*, import_id: int) -> Import:
    """Undo an import whose undoing was asked for (the worker runs this), or keep why it cannot be."""
    record = Import.objects.select_related("undo_requested_by").get(pk=import_id)
    if record.status != ImportStatus.UNDOING:
        return record
    try:
        import_undo(actor=record.undo_requested_by, record=record, expected_version=record.version)
    except UndoRefused as refused:
        Import.objects.filter(pk=record.pk).update(undo_refusal="; ".join(refused.reasons[:50]) + ".")
    record.refresh_from_db()
    return record


@transaction.atomic
def import_undo(*, actor: Any, record: Import, expected_version: int) -> Import:
    """Put back everything the import created or changed, or refuse with every reason why not."""
    record = Import.objects.select_for_update().get(pk=record.pk)
    if record.version != expected_version:
        raise StaleEdit()
    reasons = undo_blockers(record)
    if reasons:
        raise UndoRefused(reasons)
    items = list(record.items.order_by("-order"))
    for item in items:
        model = apps.get_model(item.model)
        obj = model._base_manager.get(pk=item.object_id)
        if item.created:
            if isinstance(obj, Organisation | Contract):
                m2m = "pathways_served" if isinstance(obj, Organisation) else "pathways"
                getattr(obj, m2m).clear()
            obj.delete()
        else:
            _restore(obj, item.before or {})
    save_if_unchanged(
        record,
        expected_version=expected_version,
        fields={"undone_at": timezone.now(), "undone_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    audit_record(
        actor=actor,
        action="import_undo",
        obj=record,
        after={
            "deleted": [f"{i.model} {i.object_id}" for i in items if i.created],
            "restored": [f"{i.model} {i.object_id}" for i in items if not i.created],
        },
    )
    return record


def _restore(obj: models.Model, before: dict[str, Any]) -> None:
    """The record's fields as the snapshot before the import had them (its many-to-many as names)."""
    for field in obj._meta.concrete_fields:
        if field.name not in before or field.primary_key:
            continue
        value = before[field.name]
        if isinstance(field, models.ForeignKey):
            setattr(obj, field.attname, _fk_id(field, obj, value))
        elif value is None:
            setattr(obj, field.attname, None)
        else:
            setattr(obj, field.attname, field.to_python(value))
    # The version too goes back to what it was: a form opened on the record since the import holds
    # a later version, so it cannot save over the undo.
    obj.save()
    for m2m in obj._meta.many_to_many:
        if m2m.name in before:
            related = m2m.related_model
            assert not isinstance(related, str)
            wanted = [r for r in related._base_manager.all() if str(r) in set(before[m2m.name])]
            getattr(obj, m2m.name).set(wanted)


def _fk_id(field: models.ForeignKey, obj: models.Model, value: Any) -> Any:
    """A snapshot keeps a foreign key as its id (``attname``); keep the current one otherwise."""
    current = getattr(obj, field.attname)
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return current
