"""A run no longer names a consultation: it keeps the opaque scope key the consultations
app gave it ("c12") and the contributions it reads, so insights does not depend on
consultations."""

from django.db import migrations, models


def consultation_to_scope(apps, schema_editor):
    SynthesisRun = apps.get_model("insights", "SynthesisRun")
    Answer = apps.get_model("consultations", "Answer")
    for run in SynthesisRun.objects.filter(consultation_id__isnull=False):
        run.scope = f"c{run.consultation_id}"
        if not run.contribution_ids:
            run.contribution_ids = sorted(
                Answer.objects.filter(
                    response__consultation_id=run.consultation_id, contribution__isnull=False
                )
                .values_list("contribution_id", flat=True)
                .distinct()
            )
        run.save(update_fields=["scope", "contribution_ids"])


def scope_to_consultation(apps, schema_editor):
    SynthesisRun = apps.get_model("insights", "SynthesisRun")
    for run in SynthesisRun.objects.filter(scope__regex=r"^c[0-9]+$"):
        run.consultation_id = int(run.scope[1:])
        run.save(update_fields=["consultation_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_response_channel_label"),
        ("insights", "0002_synthesisrun_heartbeat_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="synthesisrun",
            name="scope",
            field=models.CharField(blank=True, db_index=True, max_length=40, verbose_name="scope"),
        ),
        migrations.RunPython(consultation_to_scope, scope_to_consultation),
        migrations.RemoveField(model_name="synthesisrun", name="consultation_id"),
    ]
