# The quick-count sample moved to the missions app (missions' 0013): only the model state goes
# from here; the tables and their rows stay, renamed there.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('missions', '0013_sample_moves_from_reporting'),
        ('reporting', '0003_verbose_names_in_every_language'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='SampledStation'),
                migrations.DeleteModel(name='Sample'),
            ],
        ),
    ]
