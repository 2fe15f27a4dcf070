# Evidence is never deleted by a cascade: PROTECT from its parents, RESTRICT between its parts.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('missions', '0007_audit_chain_confidential'),
        ('reporting', '0001_sample'),
    ]

    operations = [
        migrations.AlterField(
            model_name='sample',
            name='mission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='samples', to='missions.mission'),
        ),
        migrations.AlterField(
            model_name='sampledstation',
            name='location',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='missions.location', verbose_name='polling station'),
        ),
        migrations.AlterField(
            model_name='sampledstation',
            name='sample',
            field=models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='stations', to='reporting.sample'),
        ),
    ]
