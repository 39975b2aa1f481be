"""Members carry the charity and company numbers they bid under: add the columns, then fill them
from each organisation's profile as it stands."""

from django.db import migrations, models


def fill_from_profiles(apps, schema_editor):
    member_model = apps.get_model("commissioning", "PartnershipMember")
    for member in member_model.objects.select_related("organisation").iterator():
        member.charity_number = member.organisation.charity_number
        member.company_number = member.organisation.company_number
        member.save(update_fields=["charity_number", "company_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnershipmember",
            name="charity_number",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="partnershipmember",
            name="company_number",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(fill_from_profiles, migrations.RunPython.noop),
    ]
