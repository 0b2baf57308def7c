"""Sections keep paragraphs of sentences with their sources, instead of text plus a
dictionary of sentences that rendering had to find again in the text."""

from django.db import migrations, models


def _carve(text, known):
    found = sorted(
        (text.find(sentence), text.find(sentence) + len(sentence), ids)
        for sentence, ids in known.items()
        if sentence and text.find(sentence) >= 0
    )
    out, pos = [], 0
    for start, end, ids in found:
        if start < pos:
            continue
        if text[pos:start].strip():
            out.append({"text": text[pos:start].strip(), "sources": []})
        out.append({"text": text[start:end], "sources": ids})
        pos = end
    if text[pos:].strip():
        out.append({"text": text[pos:].strip(), "sources": []})
    return out


def to_paragraphs(apps, schema_editor):
    Section = apps.get_model("reports", "Section")
    for section in Section.objects.all().iterator():
        known = section.provenance or {}
        paragraphs = []
        for block in (section.body or "").replace("\r\n", "\n").split("\n\n"):
            lines = [line.strip() for line in block.splitlines() if line.strip()]
            if not lines:
                continue
            if all(line.startswith("- ") for line in lines):
                sentences = [
                    {"text": line[2:].strip(), "sources": known.get(line[2:].strip(), [])}
                    for line in lines
                ]
                paragraphs.append({"list": True, "sentences": sentences})
            else:
                paragraphs.append({"list": False, "sentences": _carve(" ".join(lines), known)})
        section.paragraphs = [p for p in paragraphs if p["sentences"]]
        section.save(update_fields=["paragraphs"])


def to_text(apps, schema_editor):
    Section = apps.get_model("reports", "Section")
    for section in Section.objects.all().iterator():
        out, known = [], {}
        for para in section.paragraphs:
            texts = [s["text"] for s in para["sentences"]]
            out.append("\n".join(f"- {t}" for t in texts) if para["list"] else " ".join(texts))
            known.update({s["text"]: s["sources"] for s in para["sentences"] if s["sources"]})
        section.body = "\n\n".join(out)
        section.provenance = known
        section.save(update_fields=["body", "provenance"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_consultation_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="section",
            name="paragraphs",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(to_paragraphs, to_text),
        migrations.RemoveField(
            model_name="section",
            name="body",
        ),
        migrations.RemoveField(
            model_name="section",
            name="provenance",
        ),
    ]
