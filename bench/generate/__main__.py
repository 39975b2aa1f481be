"""``python -m bench.generate --scale N``: fill the database at DATABASE_URL."""

from __future__ import annotations

import argparse
import os
import sys

from bench.generate import __doc__ as DOC
from bench.generate import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=(DOC or "").split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01, help="1 is 200,000 contracts (default 0.01)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepchange.settings")
    import django

    django.setup()
    from django.db import connection

    print(
        f"Generating scale {args.scale:g} into {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr
    )
    counts = generate(args.scale, verbose=True)
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        print(f"{key.ljust(width)}  {value:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
