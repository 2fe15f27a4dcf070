from django.db import migrations, models


def fill_choice_codes(apps, schema_editor):
    """Code the choice answers of every stored submission with its version's layout."""
    from eom.xlsform import coding

    FormVersion = apps.get_model("observation", "FormVersion")
    Submission = apps.get_model("observation", "Submission")
    for version in FormVersion.objects.only("pk", "definition").iterator():
        shape = coding.layout(version.definition)
        batch = []
        for submission in Submission.objects.filter(form_version=version).only(
            "pk", "answers"
        ).iterator(chunk_size=2000):
            submission.choice_codes = coding.encode(shape, submission.answers)
            batch.append(submission)
            if len(batch) == 2000:
                Submission.objects.bulk_update(batch, ["choice_codes"])
                batch = []
        Submission.objects.bulk_update(batch, ["choice_codes"])


class Migration(migrations.Migration):

    dependencies = [
        ("observation", "0002_sms"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="choice_codes",
            field=models.BinaryField(default=b""),
        ),
        migrations.RunPython(fill_choice_codes, migrations.RunPython.noop),
    ]
