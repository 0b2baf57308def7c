# ContactRequest.delivery_id was a plain integer; it becomes a foreign key to the
# outreach delivery (exchange sits above outreach). Ids of deliveries that no longer
# exist become empty rather than breaking the new constraint.

import django.db.models.deletion
from django.db import migrations, models


def copy_ids(apps, schema_editor):
    ContactRequest = apps.get_model("exchange", "ContactRequest")
    Delivery = apps.get_model("outreach", "Delivery")
    rows = ContactRequest.objects.exclude(old_delivery_id=None)
    known = set(
        Delivery.objects.filter(pk__in=rows.values("old_delivery_id")).values_list("pk", flat=True)
    )
    for request in rows.only("pk", "old_delivery_id"):
        if request.old_delivery_id in known:
            ContactRequest.objects.filter(pk=request.pk).update(delivery_id=request.old_delivery_id)


def copy_back(apps, schema_editor):
    ContactRequest = apps.get_model("exchange", "ContactRequest")
    for request in ContactRequest.objects.exclude(delivery=None).only("pk", "delivery_id"):
        ContactRequest.objects.filter(pk=request.pk).update(old_delivery_id=request.delivery_id)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
        ("outreach", "0002_about_instead_of_event"),
    ]

    operations = [
        migrations.RenameField(
            model_name="contactrequest", old_name="delivery_id", new_name="old_delivery_id"
        ),
        migrations.AddField(
            model_name="contactrequest",
            name="delivery",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="outreach.delivery",
            ),
        ),
        migrations.RunPython(copy_ids, copy_back),
        migrations.RemoveField(model_name="contactrequest", name="old_delivery_id"),
    ]
