"""Sealed means sealed, beyond the pages: the export commands and a probe naming what is sealed.

The access matrix (test_matrix.py) asks every URL of the service, for every persona, with the
sealed bids there and again without what is hidden from that persona (tests/access/sealed.py says
how), and compares the answers. Here the same is done for what is not a URL: the export commands
(``export_ocds --all``, ``export_ocds --contracts``, ``report`` in each format) must write the same
with and without the sealed bids, and a probe with valid data naming what is sealed (a partnership
formed under the sealed consortium's name) must be answered as if it had never existed.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.access.oracle.reports import DOWNLOAD_FORMATS, REPORT_NAMES
from tests.access.sealed import hidden_from, normalised_bytes, remove_sealed, rolled_back, undone
from tests.access.tenders import SEALED_NAME
from tests.access.world import World


def _command_outputs(tmp_path: Path, started: datetime.datetime) -> dict[str, bytes]:
    outputs = {}
    for which in ("--all", "--contracts"):
        out = io.StringIO()
        call_command("export_ocds", which, stdout=out)
        outputs[f"export_ocds {which}"] = out.getvalue().encode()
    for name in REPORT_NAMES:
        for extension in DOWNLOAD_FORMATS:
            for params in ([], ["--param", "region=NE"]):
                target = tmp_path / f"{name}-{len(params)}.{extension}"
                call_command(
                    "report", name, "--format", extension, "--output", str(target), *params, stderr=io.StringIO()
                )
                outputs[f"report {name} {' '.join(params)} ({extension})"] = target.read_bytes()
    return {what: normalised_bytes(content, started) for what, content in outputs.items()}


def test_the_open_data_and_report_commands_write_the_same_with_and_without_the_sealed_bids(
    world_once: World, db: None, tmp_path: Path
) -> None:
    started = timezone.now()
    world = world_once
    with_sealed = _command_outputs(tmp_path, started)
    assert remove_sealed(world.tenders) > 0
    without = _command_outputs(tmp_path, started)
    differ = [what for what in with_sealed if with_sealed[what] != without[what]]
    assert not differ, differ
    # The package is really there to compare: it holds the tender whose bid was sealed.
    assert b"rt-sealed" in with_sealed["export_ocds --all"]


# Probes: a POST with valid data that names what is sealed, by someone who may send it but is outside.
# Nora (Tyne Outreach, not in the sealed consortium) forms a partnership for rt-sealed under the
# sealed consortium's name.
PROBE_URL = ("commissioning:partnership-create", {"reference": "rt-sealed"})
PROBE_DATA = {"name": SEALED_NAME, "lead_role": "Lead", "lead_share": "40"}
PROBER = "nora"
NUMBERS = re.compile(r"\d+")


def _probe(world: World, started: datetime.datetime) -> tuple[int, str, bytes]:
    client = world.client(PROBER)
    response = rolled_back(lambda: client.post(reverse(PROBE_URL[0], kwargs=PROBE_URL[1]), PROBE_DATA))
    # A new partnership's page: its primary key may differ (PostgreSQL's sequences are not rolled back).
    location = NUMBERS.sub("<pk>", str(response.get("Location", "")))
    return response.status_code, location, normalised_bytes(response.content, started)


def _probe_without_what_is_hidden(world: World, started: datetime.datetime) -> tuple[int, str, bytes]:
    with undone():
        assert remove_sealed(world.tenders, *hidden_from(PROBER)) > 0
        return _probe(world, started)


def test_the_probe_is_taken_where_there_is_no_sealed_partnership(world_once: World, db: None) -> None:
    """So that the probe below sends valid data: without the sealed bids, Nora's partnership is formed."""
    world = world_once
    status, location, _ = _probe_without_what_is_hidden(world, timezone.now())
    assert (status, location) == (302, "/opportunities/partnerships/<pk>/")


def test_naming_a_partnership_as_a_sealed_one_is_answered_as_if_it_did_not_exist(world_once: World, db: None) -> None:
    started = timezone.now()
    world = world_once
    with_sealed = _probe(world, started)
    without = _probe_without_what_is_hidden(world, started)
    assert with_sealed == without
