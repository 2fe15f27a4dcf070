# Evidence is never deleted by a cascade: PROTECT from its parents, RESTRICT between its parts.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('missions', '0007_audit_chain_confidential'),
        ('observation', '0006_bulk_json_fields'),
    ]

    operations = [
        migrations.AlterField(
            model_name='attachment',
            name='submission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='attachments', to='observation.submission'),
        ),
        migrations.AlterField(
            model_name='qaflag',
            name='submission',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.RESTRICT, related_name='flags', to='observation.submission'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='mission',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='missions.mission'),
        ),
        migrations.AlterField(
            model_name='submissionrevision',
            name='submission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='revisions', to='observation.submission'),
        ),
    ]
