"""Challenges published before alerts existed count as already announced.

Without this, the first edit of any of them after the upgrade would look like a first
publication and alert everyone whose interest it fits.
"""

from django.db import migrations


def mark_published(apps, schema_editor):
    Challenge = apps.get_model("forum", "Challenge")
    ChallengeAlert = apps.get_model("matching", "ChallengeAlert")
    ids = Challenge.objects.filter(is_published=True).values_list("pk", flat=True)
    ChallengeAlert.objects.bulk_create(
        [ChallengeAlert(challenge_id=pk) for pk in ids], batch_size=500, ignore_conflicts=True
    )


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0001_initial"),
        ("forum", "0003_proposals"),
    ]

    operations = [migrations.RunPython(mark_published, migrations.RunPython.noop)]
