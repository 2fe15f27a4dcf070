# The quick-count sample (Sample, SampledStation) is registry data and moves from the reporting
# app to missions, with its rows: the model state is created here without touching the database
# (reporting's 0004 removes it there, likewise), then the tables are renamed from reporting_* to
# missions_* so that they are named after the app that holds them, and the content types (with
# the permissions and admin log entries that point to them) change app label.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("sample", "sampledstation")


def relabel_content_types(old_label, new_label):
    def relabel(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        rows = content_type.objects.db_manager(schema_editor.connection.alias)
        for model in MOVED:
            if rows.filter(app_label=new_label, model=model).exists():
                # One already there (made by a migrate run that skipped this step): the old one
                # is left for `remove_stale_contenttypes`, as Django does for a renamed model.
                continue
            rows.filter(app_label=old_label, model=model).update(app_label=new_label)
        rows.clear_cache()

    return relabel


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('missions', '0012_verbose_names_in_every_language'),
        ('reporting', '0003_verbose_names_in_every_language'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Sample',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('seed', models.BigIntegerField(verbose_name='seed')),
                        ('stratum_level', models.CharField(choices=[('country', 'country'), ('region', 'region'), ('district', 'electoral district'), ('polling_station', 'polling station')], default='region', max_length=20, verbose_name='strata')),
                        ('size', models.PositiveIntegerField(verbose_name='size')),
                        ('population_size', models.PositiveIntegerField(verbose_name='polling stations in the population')),
                        ('stratum_sizes', models.JSONField(default=dict, verbose_name='polling stations per stratum')),
                        ('drawn_at', models.DateTimeField(auto_now_add=True, verbose_name='drawn at')),
                        ('drawn_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='drawn by')),
                        ('mission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='samples', to='missions.mission', verbose_name='mission')),
                    ],
                    options={
                        'verbose_name': 'sample',
                        'verbose_name_plural': 'samples',
                        'db_table': 'reporting_sample',
                        'constraints': [models.UniqueConstraint(fields=('mission', 'name'), name='sample_name_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='SampledStation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stratum', models.CharField(max_length=64, verbose_name='stratum')),
                        ('location', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='missions.location', verbose_name='polling station')),
                        ('sample', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='stations', to='missions.sample', verbose_name='sample')),
                        ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='missions.team', verbose_name='team')),
                    ],
                    options={
                        'verbose_name': 'sampled polling station',
                        'verbose_name_plural': 'sampled polling stations',
                        'db_table': 'reporting_sampledstation',
                        'constraints': [models.UniqueConstraint(fields=('sample', 'location'), name='sampled_station_unique')],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='sample', table=None),
        migrations.AlterModelTable(name='sampledstation', table=None),
        migrations.RunPython(relabel_content_types("reporting", "missions"),
                             relabel_content_types("missions", "reporting")),
    ]
