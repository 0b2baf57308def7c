from django.db import migrations, models

from cairn.lib.storage import column_to_storage, storage_to_column


def forwards(apps, schema_editor):
    # Waiting uploads move into the storage; applied ones are let go (their people are on file).
    column_to_storage(apps.get_model("members", "ImportJob").objects.exclude(status="applied"))


def backwards(apps, schema_editor):
    storage_to_column(apps.get_model("members", "ImportJob").objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_channel_consent"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="file",
            field=models.FileField(blank=True, max_length=300, upload_to="imports/members/"),
        ),
        # A default, so that going back can add the column to rows again.
        migrations.AlterField(
            model_name="importjob", name="content", field=models.BinaryField(blank=True, default=b"")
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="importjob", name="content"),
    ]
