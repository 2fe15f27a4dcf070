# Evidence is never deleted by a cascade: PROTECT from its parents, RESTRICT between its parts.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('missions', '0007_audit_chain_confidential'),
    ]

    operations = [
        migrations.AlterField(
            model_name='announcedresult',
            name='contest',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='announced', to='missions.contest', verbose_name='contest'),
        ),
        migrations.AlterField(
            model_name='announcedresult',
            name='party',
            field=models.ForeignKey(blank=True, help_text='Empty for votes against all.', null=True, on_delete=django.db.models.deletion.PROTECT, to='missions.party', verbose_name='party'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='mission',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='missions.mission'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='mission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='missions.mission', verbose_name='mission'),
        ),
    ]
