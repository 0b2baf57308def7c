"""An open question's latest synthesis becomes a real foreign key (consultations may
depend on insights); ids of runs that no longer exist are dropped."""

import django.db.models.deletion
from django.db import migrations, models


def copy_ids(apps, schema_editor):
    Question = apps.get_model("consultations", "Question")
    SynthesisRun = apps.get_model("insights", "SynthesisRun")
    existing = set(SynthesisRun.objects.values_list("pk", flat=True))
    for question in Question.objects.filter(old_synthesis_run_id__isnull=False):
        if question.old_synthesis_run_id in existing:
            question.synthesis_run_id = question.old_synthesis_run_id
            question.save(update_fields=["synthesis_run"])


def copy_back(apps, schema_editor):
    Question = apps.get_model("consultations", "Question")
    for question in Question.objects.filter(synthesis_run__isnull=False):
        question.old_synthesis_run_id = question.synthesis_run_id
        question.save(update_fields=["old_synthesis_run_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_response_channel_label"),
        ("insights", "0003_scope_instead_of_consultation_id"),
    ]

    operations = [
        migrations.RenameField(
            model_name="question", old_name="synthesis_run_id", new_name="old_synthesis_run_id"
        ),
        migrations.AddField(
            model_name="question",
            name="synthesis_run",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="insights.synthesisrun",
            ),
        ),
        migrations.RunPython(copy_ids, copy_back),
        migrations.RemoveField(model_name="question", name="old_synthesis_run_id"),
    ]
