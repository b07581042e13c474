"""360 questions were typed in a code: "?" or "Open:" in front made an open question, and
"[Competency]" in front grouped it. The form parsed the code into each question's kind and
competency, but text that reached a question another way (the admin, an import, an older
version) may still carry it. Each such question is rewritten in place, as the editor writes
it: the same row (so every answer stays linked to it), the code taken off its text and turned
into its kind and competency."""

import re

from django.db import migrations

COMPETENCY = re.compile(r"^\[([^\]]{1,120})\]\s*")
OPEN_PREFIXES = ("?", "open:")


def uncoded(text: str, kind: str, competency: str) -> tuple[str, str, str]:
    line = text.strip()
    match = COMPETENCY.match(line)
    if match:
        competency = competency or match.group(1).strip()
        line = line[match.end() :]
    lowered = line.lower()
    for prefix in OPEN_PREFIXES:
        if lowered.startswith(prefix) and line[len(prefix) :].strip():
            kind = "open"
            line = line[len(prefix) :].strip()
            break
    return (line or text.strip()), kind, competency


def forwards(apps, schema_editor):
    ReviewQuestion = apps.get_model("feedback", "ReviewQuestion")
    coded = ReviewQuestion.objects.filter(text__regex=r"^\s*(\[|\?|[Oo][Pp][Ee][Nn]:)")
    for question in coded.iterator():
        text, kind, competency = uncoded(question.text, question.kind, question.competency)
        if (text, kind, competency) != (question.text, question.kind, question.competency):
            question.text, question.kind, question.competency = text, kind, competency
            question.save(update_fields=["text", "kind", "competency"])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0008_reviewquestion_scale_labels"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
