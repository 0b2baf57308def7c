# A briefing's consultations were a JSON list of ids; they become a many-to-many so a
# deleted consultation cannot leave a dangling id and the admin and queries can follow it.

from django.db import migrations, models


def ids_to_links(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Consultation = apps.get_model("consultations", "Consultation")
    for report in Report.objects.exclude(consultation_ids=[]).only("pk", "consultation_ids"):
        ids = [int(pk) for pk in report.consultation_ids or [] if str(pk).isdigit()]
        # An id whose consultation was deleted has nothing left to point at.
        report.consultations.set(Consultation.objects.filter(pk__in=ids))


def links_to_ids(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    for report in Report.objects.all():
        ids = sorted(report.consultations.values_list("pk", flat=True))
        if ids:
            report.consultation_ids = ids
            report.save(update_fields=["consultation_ids"])


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0004_question_synthesis_run_foreign_key"),
        ("reports", "0004_rendered_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="consultations",
            field=models.ManyToManyField(
                blank=True, related_name="briefings", to="consultations.consultation"
            ),
        ),
        migrations.RunPython(ids_to_links, links_to_ids),
        migrations.RemoveField(
            model_name="report",
            name="consultation_ids",
        ),
    ]
