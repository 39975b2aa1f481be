from __future__ import annotations

import email
import email.policy
import fcntl
import io
import logging
import os
import shutil
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoDbBlocker, Settings
from pytest_django.plugin import blocking_manager_key

from stepchange.accounts.access import must_use_two_factor
from stepchange.accounts.models import User
from tests.factories import STORY_STARTS, Clock
from tests.fixture_types import ClientFor
from tests.personas import Cast, build_cast
from tests.processes import finish, manage

if TYPE_CHECKING:
    from aiosmtpd.smtp import Envelope


def verify_second_factor(client: Client, user: User) -> None:
    """Mark a signed-in test client as having passed two-factor sign-in with an app."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Test app"})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def signed_in(user: User | None, *, raise_request_exception: bool = True) -> Client:
    """A fresh test client signed in as the user, with the second factor where the user must use
    one (signed out for None)."""
    client = Client(raise_request_exception=raise_request_exception)
    if user is not None:
        client.force_login(user)
        if must_use_two_factor(user):
            verify_second_factor(client, user)
    return client


def add_reference_data() -> None:
    """The rows core's data migrations write: the pathways and financial years (0002), and which
    pathways are asked of prisons (0003), and the groups a community-engagement link serves
    (engagement's 0002), written by those migrations' own functions."""
    from importlib import import_module

    from django.apps import apps

    import_module("stepchange.core.migrations.0002_reference_data").add(apps, None)
    import_module("stepchange.core.migrations.0003_pathway_applies_to_prisons").set_by_code(apps, None)
    import_module("stepchange.engagement.migrations.0002_served_groups").add_groups(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker) -> None:
    """The test database is made from the models (``--no-migrations`` in pyproject.toml), not by
    running every migration (about 20 seconds of CPU a worker, most of it Django working out the
    models' states between migrations); the only rows migrations write into an empty database are
    core's reference data, added here. The other migrations' RunPython steps change existing rows
    only (none in a new database). The migrations themselves are still run: by the tests that
    migrate a database of their own (tests/faults/test_killed_import.py,
    tests/commissioning/test_sealing_migration.py), and ``makemigrations --check`` keeps the models
    and the migrations the same schema. The data-version triggers are installed after every
    migrate, this one included (stepchange/core/apps.py)."""
    with django_db_blocker.unblock():
        add_reference_data()


def _empties_the_tables(item: pytest.Item) -> bool:
    """Whether the test is a transactional one, which pytest-django ends by emptying every table."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Once a transactional test has emptied every table, the reference data go back, so that every
    test after it in the same process finds them. pytest-django runs those tests after the others,
    but xdist's ``--dist worksteal`` hands a worker that has run dry tests from the other's queue,
    so a test that takes the database plainly can come after one of them. This is the one place
    that puts them back: no test or fixture asks for them.

    After a process's last test (``nextitem`` is None) there is nothing to put back for, and the
    test database is already gone: the connection points at the configured database again, which
    this must never write to."""
    yield
    if nextitem is not None and _empties_the_tables(item):
        with item.config.stash[blocking_manager_key].unblock():
            add_reference_data()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Copies of an empty SQLite file that a real ``manage.py migrate`` made in a subprocess, every
    migration applied as on a new server, for the tests that run the service's commands as processes
    of their own (and kill them): ``migrated_sqlite(path)`` puts a copy at ``path`` and returns it.
    The file is made once a run, by whichever xdist worker asks first while the other waits on a
    lock (``migrate`` takes 15 s or so of CPU), and never written to.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    made = shared / "migrated.sqlite3"
    with (shared / "migrated.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            making = shared / "migrating.sqlite3"
            making.unlink(missing_ok=True)
            finish(manage(making, "migrate", "--noinput"))
            making.rename(made)  # whole or not at all: a worker never copies a half-made file

    def copy(to: Path) -> Path:
        shutil.copy(made, to)
        return to

    return copy


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Argon2 is deliberately slow; the cast's sign-ins would take seconds per test.

    tests/accounts/test_sign_in_lockout.py checks that the service itself hashes with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(client: Client) -> ClientFor:
    """A fresh client signed in as the given user (or signed out for None): ``signed_in``."""
    return signed_in


@pytest.fixture
def clock() -> Iterator[Clock]:
    """A fixed clock for the returns stories: 10:00 on 3 July 2006 until the story moves it."""
    fixed = Clock(STORY_STARTS)
    with mock.patch.object(timezone, "now", lambda: fixed.now):
        yield fixed


# The demo pack's last PDF in this process, by the document and base it was made from.
_demo_pdf: dict[tuple[str, str], bytes] = {}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """The demo region, loaded once per test module inside a transaction rolled back when the module
    ends, so no other test module ever sees it; the value is what ``load_demo`` printed.

    The pack's PDF is made by weasyprint only when its document differs from the last load's in
    this process: weasyprint makes the same bytes of the same document, and a module loading the
    demo in the same minute as the one before makes the same document (it says when the pack was
    built, to the minute). A few seconds each time it does."""
    from stepchange.pack import rendering

    write_pdf = rendering.write_pdf

    def made_once(document: str, *, base_url: str) -> bytes:
        if (document, base_url) not in _demo_pdf:
            _demo_pdf.clear()
            _demo_pdf[document, base_url] = write_pdf(document, base_url=base_url)
        return _demo_pdf[document, base_url]

    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        with mock.patch.object(rendering, "write_pdf", made_once):
            call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@dataclass
class Mailbox:
    """What a real SMTP server on 127.0.0.1 received, each message parsed with the email package."""

    messages: list[EmailMessage] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())


class _Collect:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        raw = envelope.original_content  # the message's bytes as sent, set by aiosmtpd on DATA
        assert raw is not None
        self.mailbox.messages.append(email.message_from_bytes(raw, policy=email.policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Settings) -> Iterator[Mailbox]:
    """Mail goes out through Django's SMTP backend to a real SMTP server (aiosmtpd) on a free port.

    The server stores a message before it answers the client, so a message is in ``messages`` by
    the time ``send_mail`` returns: nothing to wait for.
    """
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line-by-line dialogue
    mailbox = Mailbox()
    controller = Controller(_Collect(mailbox), hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield mailbox
    finally:
        controller.stop()


# The sweeps of every URL for every persona, by module and test: the matrix itself (with the
# sealed-bid differential), and the refused writes with valid-looking data. Each is thousands of
# requests a run; together they are most of the suite's CPU time (docs/testing.md).
EVERY_URL_FOR_EVERY_PERSONA = {
    "test_matrix.py": None,  # the whole module
    "test_wrong_persona_writes.py": "test_a_refused_post_with_valid_looking_data_changes_nothing",
}


# The tests `make test-fast` leaves out besides the sweeps and the browser, because each takes
# seconds rather than a fraction of one (measured with --durations; docs/testing.md): by directory,
# module or module::test, with why. Every test that takes the ``demo`` fixture (the whole demo loaded, about 7 s
# a module) is slow too, found by its fixtures rather than listed.
SLOW = {
    "faults": "processes killed at every moment and races between threads",
    "hostile": "generated hostile input (Hypothesis), many examples a form",
    "access/test_rows.py": "every list, count and download for every persona",
    "access/test_api_lists.py": "every API list for every persona's token",
    "access/test_sealed_differential.py": "the export commands, every report in every format, twice",
    "access/test_decided_in_access.py": "reads every module of the service",
    "ops/test_replica.py": "every report, region and format through the replica",
    "pack/test_build.py": "builds the pack and its tagged PDF",
    "pack/test_pages.py": "builds the pack and its tagged PDF",
    "bench/test_national_forms.py": "builds the national forms' data at two sizes",
    "reports/test_report_pages.py::test_each_report_is_open_to_everyone_in_every_format": "every report in every format",
    "returns/test_bad_files.py::test_a_bad_file_is_refused_saying_why_and_changes_nothing": "every file of the bad-file corpus",
    "demo/test_load_demo.py": "loads the demo, twice",
    "demo/test_load_demo_refused.py": "loads the demo",
    "demo/test_public_contracts.py": "loads the demo",
    "commissioning/test_demo.py": "loads the demo",
    "commissioning/test_demo_dates.py": "loads the demo",
    "commissioning/test_ocds.py": "loads the demo",
    "commissioning/test_sealing_migration.py": "migrates a database of its own",
    "engagement/test_demo.py": "loads the demo",
    "returns/test_demo_returns.py": "loads the demo",
    "returns/test_killed_upload.py": "kills an upload's process at every moment",
    "bulletins/test_killed_worker.py": "kills the mail worker mid-send",
    "imports/test_worker.py": "runs the real background worker",
    "api/test_schemathesis.py": "every API operation for every persona's token, against a live server",
    "test_dependencies.py": "imports every module and reads the import graph",
}
TESTS = __file__.rsplit("/", 1)[0]


def _is_slow(item: pytest.Item) -> bool:
    relative = str(item.path)[len(TESTS) + 1 :]
    test = f"{relative}::{getattr(item, 'originalname', item.name)}"
    return "demo" in getattr(item, "fixturenames", ()) or any(
        place in (relative, test) or relative.startswith(place + "/") for place in SLOW
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The sweeps above and the slow tests are marked here, by path (and, for the demo, by
    fixture), so that ``make test-fast`` can leave them out (``-m "not browser and not
    access_matrix and not slow"``); tests/browser/conftest.py marks the browser tests. ``make
    test`` runs them all."""
    for item in items:
        if _is_slow(item):
            item.add_marker(pytest.mark.slow)
        if item.path.parent.name != "access" or item.path.name not in EVERY_URL_FOR_EVERY_PERSONA:
            continue
        test = EVERY_URL_FOR_EVERY_PERSONA[item.path.name]
        if test is None or getattr(item, "originalname", item.name) == test:
            item.add_marker(pytest.mark.access_matrix)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    """Counts printed at the end of a run. Here, not in the suites' own conftests, because an
    xdist controller loads only this one."""
    from tests.access.tally import print_summary as print_access_summary
    from tests.browser.summary import report_crawl_counts
    from tests.hostile.tally import print_summary

    print_summary(terminalreporter, config)
    print_access_summary(terminalreporter, config)
    report_crawl_counts(terminalreporter, config)


@pytest.fixture(autouse=True)
def api_rate_limits_out_of_the_way(settings: Settings) -> None:
    """The API's rate limits (stepchange/api/throttles.py) count in the cache, and every test
    client asks from one address: the sweeping tests send hundreds of requests a minute without a
    token. Each test starts with none counted, under limits no test reaches;
    tests/api/test_limits.py sets low ones to see them refuse."""
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMITS = {"token": "100000/minute", "anon": "100000/minute"}
