# Evidence is never deleted by a cascade: PROTECT from its parents, RESTRICT between its parts.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('missions', '0007_audit_chain_confidential'),
        ('observation', '0006_bulk_json_fields'),
        ('results', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='importbatch',
            name='contest',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='import_batches', to='missions.contest', verbose_name='contest'),
        ),
        migrations.AlterField(
            model_name='importbatch',
            name='mission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='missions.mission'),
        ),
        migrations.AlterField(
            model_name='protocol',
            name='batch',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='protocols', to='results.importbatch', verbose_name='import'),
        ),
        migrations.AlterField(
            model_name='protocol',
            name='contest',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='protocols', to='missions.contest', verbose_name='contest'),
        ),
        migrations.AlterField(
            model_name='protocol',
            name='location',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='protocols', to='missions.location', verbose_name='location'),
        ),
        migrations.AlterField(
            model_name='protocol',
            name='mission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='missions.mission'),
        ),
        migrations.AlterField(
            model_name='protocol',
            name='submission',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='+', to='observation.submission', verbose_name="observer's report"),
        ),
        migrations.AlterField(
            model_name='publishedtotal',
            name='contest',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='published_totals', to='missions.contest', verbose_name='contest'),
        ),
        migrations.AlterField(
            model_name='publishedtotal',
            name='location',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='missions.location', verbose_name='location'),
        ),
    ]
