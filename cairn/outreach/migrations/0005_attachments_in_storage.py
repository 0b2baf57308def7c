import hashlib

from django.db import migrations, models

from cairn.lib.storage import storage_to_column


def forwards(apps, schema_editor):
    # One stored file per distinct content: a report sent to 300 people was 300 copies.
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    DeliveryAttachment = apps.get_model("outreach", "DeliveryAttachment")
    kept: dict[str, str] = {}
    for row in DeliveryAttachment.objects.iterator(chunk_size=10):
        data = bytes(row.content)
        digest = hashlib.sha256(data).hexdigest()
        if digest not in kept:
            kept[digest] = default_storage.save(f"attachments/{digest}", ContentFile(data))
        row.file, row.sha256 = kept[digest], digest
        row.save(update_fields=["file", "sha256"])


def backwards(apps, schema_editor):
    storage_to_column(apps.get_model("outreach", "DeliveryAttachment").objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0004_letter_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliveryattachment",
            name="file",
            field=models.FileField(default="", max_length=300, upload_to="attachments/"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="deliveryattachment",
            name="sha256",
            field=models.CharField(db_index=True, default="", max_length=64),
            preserve_default=False,
        ),
        # A default, so that going back can add the column to rows again.
        migrations.AlterField(
            model_name="deliveryattachment",
            name="content",
            field=models.BinaryField(blank=True, default=b""),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="deliveryattachment", name="content"),
    ]
