from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eom.missions import backups


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into FILE (a .tar.gz; docs/backup.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="where to write the backup, e.g. eom.tar.gz")

    def handle(self, *args, file: Path, **options):
        try:
            report = backups.write_backup(file)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{report.path}: {report.engine} database, {report.n_tables} tables, "
            f"{report.n_rows:,} rows, {report.n_files:,} uploaded files."
        )
        self.stderr.write(
            "NOTE: the backup does not hold the data key (EOM_DATA_KEY). Without that key the "
            "confidential meetings' text in it cannot be read: keep the key apart from the "
            "backup, and keep it as long as the backup."
        )
