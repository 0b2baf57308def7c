"""Messages and deliveries say what they are about as any record (an event, a consultation),
so outreach no longer depends on events. Each event link becomes an `about` link."""

import django.db.models.deletion
from django.db import migrations, models


def event_to_about(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    event_type, _ = ContentType.objects.get_or_create(app_label="events", model="event")
    for name in ("Message", "Delivery"):
        model = apps.get_model("outreach", name)
        model.objects.filter(event__isnull=False).update(
            about_type=event_type, about_id=models.F("event_id")
        )


def about_to_event(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    event_type = ContentType.objects.filter(app_label="events", model="event").first()
    if event_type is None:
        return
    for name in ("Message", "Delivery"):
        model = apps.get_model("outreach", name)
        model.objects.filter(about_type=event_type).update(event_id=models.F("about_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("outreach", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="about_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="message",
            name="about_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="about_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="about_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(event_to_about, about_to_event),
        migrations.RemoveField(model_name="message", name="event"),
        migrations.RemoveField(model_name="delivery", name="event"),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["about_type", "about_id"], name="outreach_de_about_t_1adde5_idx"),
        ),
    ]
