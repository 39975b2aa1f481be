"""The nine pathways the 2006-07 report tables, and the financial years around it.

Both stay editable data: later years renamed and added pathways.
"""

import datetime

from django.db import migrations

PATHWAYS = [
    ("accommodation", "Accommodation", "Accom."),
    ("ete", "Education, Training & Employment", "ETE"),
    ("health", "Health", "Health"),
    ("drugs-alcohol", "Drugs & Alcohol", "Drugs & Alc."),
    ("fbd", "Finance, Benefit & Debt", "FBD"),
    ("children-families", "Children & Families", "C&F"),
    ("atb", "Attitudes, Thinking & Behaviour", "ATB"),
    ("offender-management", "Offender Management", "OM"),
    ("unpaid-work", "Unpaid Work", "UPW"),
]


def add(apps, schema_editor):
    Pathway = apps.get_model("core", "Pathway")
    FinancialYear = apps.get_model("core", "FinancialYear")
    for order, (code, name, short) in enumerate(PATHWAYS, start=1):
        Pathway.objects.get_or_create(code=code, defaults={"name": name, "short_name": short, "order": order})
    for first in range(2004, 2031):
        FinancialYear.objects.get_or_create(
            name=f"{first}-{(first + 1) % 100:02d}",
            defaults={"start": datetime.date(first, 4, 1), "end": datetime.date(first + 1, 3, 31)},
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
