"""A CSV cell as long as a national return writes (thousands of names in one cell) is read, not
refused: the file is capped before it is read, so no cell can be longer than the file."""

from __future__ import annotations

import io

from stepchange.core.uploads import check_upload
from stepchange.returns.upload import read_csv

NAMES = "; ".join(f"Project {n:05d} of the national directory" for n in range(14_300))


def test_a_cell_longer_than_the_csv_modules_default_limit_is_checked_and_read():
    assert len(NAMES) > 131_072 * 4
    content = f"Pathway,Proposed organisations\nete,{NAMES}\n".encode()
    upload = io.BytesIO(content)
    upload.name = "leeds-q1.csv"
    checked = check_upload(upload, allowed=("csv",))
    assert checked.rows == 2
    assert read_csv(content)[1][1] == NAMES
