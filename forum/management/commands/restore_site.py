import tarfile
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dbbackup.db.exceptions import CommandConnectorError

from forum.backup import (
    BackupError,
    counts_differing,
    database_restore,
    files_extract,
    manifest_read,
    target_clear,
    target_contents,
)


class Command(BaseCommand):
    help = (
        "backup_site で作ったフォルダーから、空のデータベースと空のファイル置き場に復元し、"
        "検索索引を作り直して、データベースとの違いがないことを確かめます。"
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="backup_site が作ったフォルダー")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "復元先が空でないとき、データベースのテーブルと両方のファイル置き場を"
                "すべて消してから復元します（確認があります）"
            ),
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="--force の確認を求めません（--force なしで空でない復元先に戻すことはありません）",
        )

    def handle(self, *args, folder: Path, force: bool, interactive: bool, **options):
        try:
            manifest = manifest_read(folder=folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restoring {folder} (made {manifest['created_at']}, version {manifest['version']})"
        )
        self._prepare_target(force=force, interactive=interactive)
        steps = [
            ("database", lambda: self._database(folder, manifest)),
            ("public files (MEDIA_ROOT)", lambda: self._files("media", folder, manifest)),
            (
                "private files (PRIVATE_MEDIA_ROOT)",
                lambda: self._files("private", folder, manifest),
            ),
            ("migrations", self._migrate),
            ("search index", self._index),
        ]
        for number, (label, run) in enumerate(steps, start=1):
            self.stdout.write(f"[{number}/{len(steps)}] {label}")
            started = time.monotonic()
            try:
                run()
            except (BackupError, CommandConnectorError, OSError, tarfile.TarError) as exc:
                raise CommandError(f"Restoring the {label} failed: {exc}") from exc
            self.stdout.write(f"      done ({time.monotonic() - started:.1f} s)")
        counts = ", ".join(f"{label} {count}" for label, count in manifest["counts"].items())
        self.stdout.write(self.style.SUCCESS(f"Restore complete: {counts}."))

    def _prepare_target(self, *, force: bool, interactive: bool) -> None:
        contents = target_contents()
        if not any(contents.values()):
            return
        held = (
            f"{contents['tables']} tables, {contents['media']} public files, "
            f"{contents['private']} private files"
        )
        if not force:
            raise CommandError(
                f"The target is not empty ({held}). Restore into an empty database and empty "
                "file roots, or pass --force to delete what is there first."
            )
        if interactive:
            answer = input(f"This deletes {held} before restoring. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        self.stdout.write(f"Emptying the target ({held})")
        target_clear()

    def _database(self, folder: Path, manifest: dict) -> None:
        database_restore(folder=folder, manifest=manifest)
        differing = counts_differing(manifest["counts"])
        if differing:
            shown = ", ".join(
                f"{k}: {want} expected, {got} found" for k, (want, got) in differing.items()
            )
            raise CommandError(f"The restored database does not match the manifest ({shown}).")
        self.stdout.write(f"      {manifest['parts']['database']['file']} loaded; row counts match")

    def _files(self, name: str, folder: Path, manifest: dict) -> None:
        count = files_extract(name=name, folder=folder, manifest=manifest)
        self.stdout.write(f"      {count} file{'' if count == 1 else 's'}")

    def _migrate(self) -> None:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"      {len(plan)} migrations applied")

    def _index(self) -> None:
        call_command("rebuild_index", vectors_later=True, stdout=self.stdout)
        call_command("check_index", stdout=self.stdout)
