"""Sealed bids, step 1 of 3: the opportunity keys, the sealed columns and the per-person bid teams."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0004_partnership_document_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OpportunityKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("master_key_id", models.CharField(max_length=40)),
                ("wrapped_key", models.BinaryField(editable=False)),
                ("created_at", models.DateTimeField()),
                ("rewrapped_at", models.DateTimeField(blank=True, null=True)),
                (
                    "opportunity",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sealing_key",
                        to="commissioning.opportunity",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="bid",
            name="sealed",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="biddocument",
            name="sealed_content",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="partnershipmember",
            name="team",
            field=models.ManyToManyField(blank=True, related_name="bid_teams", to=settings.AUTH_USER_MODEL),
        ),
    ]
