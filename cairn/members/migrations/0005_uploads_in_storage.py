from django.db import migrations, models


def move_to_storage(apps, schema_editor):
    # Waiting uploads move into the storage; applied ones are let go (their people are on file).
    from cairn.lib.storage import as_upload

    ImportJob = apps.get_model("members", "ImportJob")
    for job in ImportJob.objects.exclude(status="applied").iterator(chunk_size=20):
        if job.content:
            job.file = as_upload(job.filename, bytes(job.content))
            job.save(update_fields=["file"])


def back_to_rows(apps, schema_editor):
    from cairn.lib.storage import read

    ImportJob = apps.get_model("members", "ImportJob")
    for job in ImportJob.objects.exclude(file="").iterator(chunk_size=20):
        job.content = read(job.file.name)
        job.save(update_fields=["content"])


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
        migrations.RunPython(move_to_storage, back_to_rows),
        migrations.RemoveField(model_name="importjob", name="content"),
    ]
