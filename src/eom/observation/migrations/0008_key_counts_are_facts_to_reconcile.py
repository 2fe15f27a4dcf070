from django.db import migrations

NUMBERS = ("integer", "decimal")


def mark_key_counts_as_facts(apps, schema_editor):
    """Definitions stored before the `reconcile` column: their key counts (protocol figures)
    become facts to reconcile, so the conflicts already shown for them can still be resolved;
    other key answers (assessments) become independent observations."""
    FormVersion = apps.get_model("observation", "FormVersion")
    for version in FormVersion.objects.only("pk", "definition").iterator():
        changed = False
        for section in version.definition.get("sections", []):
            for question in section.get("questions", []):
                if "reconcile" not in question:
                    question["reconcile"] = bool(question.get("key")) and question.get(
                        "type") in NUMBERS
                    changed = True
        if changed:
            version.save(update_fields=["definition"])


class Migration(migrations.Migration):

    dependencies = [
        ("observation", "0007_evidence_protected"),
    ]

    operations = [
        migrations.RunPython(mark_key_counts_as_facts, migrations.RunPython.noop),
    ]
