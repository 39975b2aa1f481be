"""Import a prison or probation return's spreadsheet from the command line: the upload page's checks
and service (``--kind probation`` for a probation return; a prison return by default).

For an analyst (or the co-ordinator) holding a completed template that came by e-mail. The file is
checked in the same two tiers as an upload and saved in one transaction, or not at all; every
problem is printed with its sheet, row and column. The figures are recorded as coming from --user,
who must be able to fill in or sign off the return.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from stepchange.returns import probation_sheet, upload_services
from stepchange.returns.access import MODELS, returns_approvable_by, returns_editable_by
from stepchange.returns.models import ReturnKind
from stepchange.returns.upload import ContentProblems, UploadRefused, check_file


class Command(BaseCommand):
    help = (
        "Check a completed prison or probation return template (.xlsx or .csv) and save it into the return: "
        "all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--return", dest="return_id", type=int, required=True, help="The return's id")
        parser.add_argument(
            "--kind",
            choices=[ReturnKind.PRISON.value, ReturnKind.PROBATION.value],
            default=ReturnKind.PRISON.value,
            help="Which kind of return it is (prison by default)",
        )
        parser.add_argument("--user", required=True, help="The username the figures are recorded as coming from")
        parser.add_argument("file", help="The completed template")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {options['user']!r}.")
        kind = options["kind"]
        allowed = Q(pk__in=returns_editable_by(user, kind).values("pk")) | Q(
            pk__in=returns_approvable_by(user, kind).values("pk")
        )
        the_return: Any = (
            MODELS[kind]
            .objects.filter(allowed)
            .select_related("round__year", "commissioner__organisation")
            .filter(pk=options["return_id"])
            .first()
        )
        if the_return is None:
            raise CommandError(f"{user} may not fill in or sign off a {kind} return {options['return_id']}.")
        if not the_return.is_open:
            raise CommandError(f"{the_return} is {the_return.status.label.lower()}: it cannot be changed.")
        path = options["file"]
        try:
            with open(path, "rb") as handle:
                file = File(handle, name=os.path.basename(path))
                if kind == ReturnKind.PROBATION:
                    checked: Any = probation_sheet.check_file(file, probation_return=the_return, uploader_area=None)
                else:
                    checked = check_file(file, prison_return=the_return, uploader_establishment=None)
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}.") from None
        except UploadRefused as refused:
            raise CommandError(str(refused)) from None
        except ContentProblems as found:
            for problem in found.problems:
                self.stderr.write(str(problem))
            counts = "; ".join(f"{count} {name}" for _kind, count, name in found.counts())
            raise CommandError(f"{found} ({counts}) Nothing was saved.") from None
        if kind == ReturnKind.PROBATION:
            changed = upload_services.probation_return_upload(
                actor=user, probation_return=the_return, expected_version=the_return.version, checked=checked
            )
            if changed is None:
                self.stdout.write(
                    f"{checked.upload.display_name} holds what {the_return} already has: nothing changed."
                )
            else:
                self.stdout.write(
                    f"Saved {changed} contract{'s' if changed != 1 else ''} from {checked.upload.display_name} "
                    f"into {the_return}."
                )
            return
        stored = upload_services.prison_return_upload(
            actor=user, prison_return=the_return, expected_version=the_return.version, checked=checked
        )
        if stored is None:
            self.stdout.write(f"{checked.upload.display_name} holds what {the_return} already has: nothing changed.")
        else:
            lines = len(checked.lines)
            self.stdout.write(
                f"Saved {lines} pathway{'s' if lines != 1 else ''} from {stored.display_name} into {the_return}."
            )
