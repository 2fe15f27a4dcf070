"""Confidential text encrypted with the data key: meetings' place and key points,
follow-ups' text, interlocutors' names and titles (eom.missions.crypto). Existing rows are
sealed; a confidential meeting's search text is emptied (it is searched in Python).
Reversible: the reverse opens every value and rebuilds the search text."""

from django.db import migrations

import eom.missions.fields
from eom.missions import crypto

SEALED = {
    "meeting": ["place", "key_points"],
    "followup": ["text"],
    "interlocutor": ["name", "title"],
}


def _rewrite(apps, schema_editor, change) -> None:
    """Apply `change` to every stored value of the sealed columns, in SQL (the historical
    models already read the columns as sealed)."""
    cursor = schema_editor.connection.cursor()
    quote = schema_editor.connection.ops.quote_name
    for model_name, field_names in SEALED.items():
        meta = apps.get_model("missions", model_name)._meta
        columns = [meta.get_field(name).column for name in field_names]
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        cursor.execute(f"SELECT {pk}, {', '.join(map(quote, columns))} FROM {table}")
        rows = [
            [*(change(value) if value else value for value in values), row_id]
            for row_id, *values in cursor.fetchall()
        ]
        assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", rows)
    _checks_now(schema_editor)


def _checks_now(schema_editor) -> None:
    """Run PostgreSQL's deferred constraint checks now: it refuses to alter a table (the next
    operation, when migrating backwards) while rows written in the transaction await them."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _sealed(value: str) -> str:
    return value if crypto.is_sealed(value) else crypto.encrypt(value)


def _opened(value: str) -> str:
    return crypto.decrypt(value) if crypto.is_sealed(value) else value


def seal(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, _sealed)


def unseal(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, _opened)


def clear_confidential_search_text(apps, schema_editor) -> None:
    apps.get_model("missions", "Meeting").objects.filter(confidential=True).update(search_text="")


def rebuild_confidential_search_text(apps, schema_editor) -> None:
    Meeting = apps.get_model("missions", "Meeting")
    for meeting in Meeting.objects.filter(confidential=True).select_related("region"):
        parts = [meeting.place, meeting.key_points, meeting.source]
        if meeting.region_id:
            parts += [meeting.region.name_en, meeting.region.name_ru, meeting.region.name_kk]
        for interlocutor in meeting.interlocutors.select_related("organisation"):
            parts += [interlocutor.name, interlocutor.title, interlocutor.organisation.name]
        parts += [topic.name for topic in meeting.topics.all()]
        parts += [person.full_name for person in meeting.participants.all()]
        parts += [follow_up.text for follow_up in meeting.follow_ups.all()]
        meeting.search_text = "\n".join(part for part in parts if part).lower()
        meeting.save(update_fields=["search_text"])
    _checks_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('missions', '0004_bulk_json_fields'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='interlocutor',
            options={'ordering': ['pk'], 'verbose_name': 'interlocutor', 'verbose_name_plural': 'interlocutors'},
        ),
        migrations.RemoveConstraint(
            model_name='interlocutor',
            name='interlocutor_unique_name',
        ),
        migrations.AlterField(
            model_name='followup',
            name='text',
            field=eom.missions.fields.EncryptedCharField(max_length=500, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='interlocutor',
            name='name',
            field=eom.missions.fields.EncryptedCharField(max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='interlocutor',
            name='title',
            field=eom.missions.fields.EncryptedCharField(blank=True, max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='key_points',
            field=eom.missions.fields.EncryptedTextField(blank=True, verbose_name='key points'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='place',
            field=eom.missions.fields.EncryptedCharField(max_length=300, verbose_name='place'),
        ),
        migrations.RunPython(seal, unseal),
        migrations.RunPython(clear_confidential_search_text, rebuild_confidential_search_text),
    ]
