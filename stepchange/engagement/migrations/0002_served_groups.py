"""The groups a community link serves and a requirement names, as data: an establishment's
strategy may name more through the admin of a later release."""

from django.db import migrations

GROUPS = [
    ("bme", "Black and minority ethnic people"),
    ("gypsies-travellers", "Gypsies and Travellers"),
    ("women", "Women"),
    ("faith", "Faith communities"),
    ("young-people", "Young people"),
    ("foreign-nationals", "Foreign nationals"),
    ("disability", "Disabled people"),
    ("older-people", "Older people"),
    ("sexual-orientation", "Lesbian, gay and bisexual people"),
]


def add_groups(apps, schema_editor):
    ServedGroup = apps.get_model("engagement", "ServedGroup")
    for order, (code, name) in enumerate(GROUPS, start=1):
        ServedGroup.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial")]

    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
