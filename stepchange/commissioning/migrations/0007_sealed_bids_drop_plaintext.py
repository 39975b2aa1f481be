"""Sealed bids, step 3 of 3: the plaintext answers, price and bid document bytes go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0006_sealed_bids_encrypt")]

    operations = [
        migrations.RemoveConstraint(model_name="bid", name="bid_price_not_negative"),
        migrations.RemoveField(model_name="bid", name="answers"),
        migrations.RemoveField(model_name="bid", name="price"),
        migrations.RemoveField(model_name="biddocument", name="content"),
    ]
