from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eom.missions import backups


class Command(BaseCommand):
    help = "Restore a backup written by `eom backup` into the database and the media folder."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the backup, as `eom backup` wrote it")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the tables of a database that holds some, and move the media "
            "folder aside",
        )

    def handle(self, *args, file: Path, force: bool, **options):
        try:
            report = backups.restore_backup(file, force=force)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {report.path} of {report.created_at}: {report.n_tables} tables, "
            f"{report.n_rows:,} rows, {report.n_files:,} uploaded files; every table matches "
            "the backup's counts and checksums."
        )
        if report.media_moved_to is not None:
            self.stdout.write(f"The media folder found there was moved to {report.media_moved_to}.")
        if not report.data_key_known:
            self.stderr.write(
                "WARNING: the backup was made with a data key that is not among EOM_DATA_KEY: "
                "the confidential meetings' text cannot be read until that key is given."
            )
