from django.db import migrations, models


def move_to_storage(apps, schema_editor):
    # Only imports still waiting for a worker hold a file; the others were emptied when read.
    from cairn.lib.storage import as_upload

    ResponseImport = apps.get_model("consultations", "ResponseImport")
    for record in ResponseImport.objects.filter(status="waiting").iterator(chunk_size=5):
        if record.content:
            record.file = as_upload(record.filename, bytes(record.content))
            record.save(update_fields=["file"])


def back_to_rows(apps, schema_editor):
    from cairn.lib.storage import read

    ResponseImport = apps.get_model("consultations", "ResponseImport")
    for record in ResponseImport.objects.exclude(file="").iterator(chunk_size=5):
        record.content = read(record.file.name)
        record.save(update_fields=["content"])


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
        migrations.RunPython(move_to_storage, back_to_rows),
        migrations.RemoveField(model_name="responseimport", name="content"),
    ]
