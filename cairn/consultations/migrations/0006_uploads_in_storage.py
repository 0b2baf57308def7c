from django.db import migrations, models

from cairn.lib.storage import column_to_storage, storage_to_column


def forwards(apps, schema_editor):
    # Only imports still waiting for a worker hold a file; the others were emptied when read.
    ResponseImport = apps.get_model("consultations", "ResponseImport")
    column_to_storage(ResponseImport.objects.filter(status="waiting"))


def backwards(apps, schema_editor):
    storage_to_column(apps.get_model("consultations", "ResponseImport").objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_response_import"),
    ]

    operations = [
        migrations.AddField(
            model_name="responseimport",
            name="file",
            field=models.FileField(blank=True, max_length=300, upload_to="imports/responses/"),
        ),
        # A default, so that going back can add the column to rows again.
        migrations.AlterField(
            model_name="responseimport", name="content", field=models.BinaryField(blank=True, default=b"")
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="responseimport", name="content"),
    ]
