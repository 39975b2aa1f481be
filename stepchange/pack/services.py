"""Every write of a pack: asking for it (a page), and building it (the worker).

Asking creates the pack and hands its building to the worker once the asking is committed. Building
renders each declared section in turn, recording after each how far it has got (outside any
transaction, so the pack's page sees it move), then the PDF; it keeps the rendered HTML and the PDF
together, or, if a section or the PDF cannot be made, the reason, and nothing else.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from stepchange.core.audit import audit_record
from stepchange.core.models import Region
from stepchange.core.periods import Quarter, year_containing
from stepchange.pack import rendering
from stepchange.pack.models import Pack, PackStatus
from stepchange.pack.sections import declared_sections

logger = logging.getLogger(__name__)


class PackNotAllowed(Exception):
    """The pack cannot be asked for now; ``str()`` says why."""


def pack_request(*, actor: Any, region: Region, quarter: Quarter, hand_to_worker: bool = True) -> Pack:
    """Ask for the region's pack of ``quarter``; the worker builds it. Refused while a pack of the
    same quarter is still waiting or being built (two would only repeat the same work). The demo
    asks with ``hand_to_worker=False`` and runs the task itself, at once."""
    from stepchange.pack import tasks

    with transaction.atomic():
        year = year_containing(quarter.start)
        # The region's row locked: two people asking at once are one after the other, and the
        # second finds the first's pack waiting.
        Region.objects.select_for_update().get(pk=region.pk)
        running = Pack.objects.filter(
            region=region, year=year, quarter=quarter.number, finished_at__isnull=True, failure=""
        ).exists()
        if running:
            raise PackNotAllowed(
                f"The pack for {quarter.label} is already being built. Wait for it to finish, then build it again if you need to."
            )
        pack = Pack.objects.create(
            region=region,
            year=year,
            quarter=quarter.number,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            requested_at=timezone.now(),
            steps_total=len(declared_sections()) + 1,
        )
        audit_record(
            actor=actor, action="pack_request", obj=pack, after={"region": region.code, "quarter": quarter.label}
        )
        if hand_to_worker:
            transaction.on_commit(lambda: tasks.build_pack.enqueue(pack.pk))
    return pack


def _progress(pack: Pack, *, done: int, step: str) -> None:
    Pack.objects.filter(pk=pack.pk).update(steps_done=done, current_step=step)


def _fail(pack: Pack, reason: str) -> Pack:
    with transaction.atomic():
        Pack.objects.filter(pk=pack.pk).update(failure=reason, current_step="")
        pack.refresh_from_db()
        audit_record(actor=None, action="pack_failed", obj=pack, after={"failure": reason})
    return pack


def pack_build(*, pack_id: int) -> Pack:
    """Build a pack that is waiting (the worker runs this): each section, then the PDF."""
    pack = Pack.objects.select_related("region", "year", "requested_by").get(pk=pack_id)
    if pack.status != PackStatus.WAITING:
        return pack
    sections = declared_sections()
    total = len(sections) + 1
    Pack.objects.filter(pk=pack.pk).update(started_at=timezone.now(), steps_total=total, steps_done=0)
    pack.refresh_from_db()
    rendered: list[rendering.RenderedSection] = []
    for done, section in enumerate(sections, start=1):
        _progress(pack, done=done - 1, step=section.title)
        try:
            rendered.append(rendering.render_section(section, pack))
        except Exception as failed:  # any failure of a section is kept as the pack's reason
            logger.exception("pack %s: section %s failed", pack.pk, section.slug)
            return _fail(pack, f"The section “{section.title}” could not be built: {failed}")
    _progress(pack, done=len(sections), step="The PDF")
    body = rendering.render_body(pack, rendered)
    try:
        pdf = rendering.render_pdf(pack, body)
    except Exception as failed:  # kept as the pack's reason
        logger.exception("pack %s: the PDF failed", pack.pk)
        return _fail(pack, f"The PDF could not be made: {failed}")
    with transaction.atomic():
        Pack.objects.filter(pk=pack.pk).update(
            html=body, pdf=pdf, steps_done=total, current_step="", finished_at=timezone.now()
        )
        pack.refresh_from_db()
        audit_record(
            actor=None,
            action="pack_built",
            obj=pack,
            after={"sections": [r.section.slug for r in rendered], "pdf_bytes": len(pdf)},
        )
    return pack
