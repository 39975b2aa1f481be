#!/usr/bin/env python
"""Django's command-line utility for stepchange."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepchange.settings")
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ["runserver"]:
        # The development server is the web: its requests get the web's timeouts (core/timeouts.py).
        from stepchange.core.timeouts import mark_web_process

        mark_web_process()

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
