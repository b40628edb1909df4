import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forum.backup import (
    BackupError,
    Part,
    backup_folder_create,
    database_dump,
    files_archive,
    manifest_write,
)

LABELS = {
    "database": "database",
    "media": "public files (MEDIA_ROOT)",
    "private": "private files (PRIVATE_MEDIA_ROOT)",
}


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} B"


class Command(BaseCommand):
    help = (
        "データベースと公開・非公開のアップロードファイルを、日付つきの1つのフォルダーに"
        "バックアップします（各部分の SHA-256 と件数を記録した manifest.json つき）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=None,
            help="バックアップのフォルダーを作る場所（既定: BACKUP_ROOT、var/backups）",
        )

    def handle(self, *args, output_dir: Path | None = None, **options):
        try:
            folder = backup_folder_create(parent=output_dir or settings.BACKUP_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backing up into {folder}")
        try:
            parts = self._parts(folder)
            self.stdout.write("[4/4] manifest")
            manifest = manifest_write(folder=folder, parts=parts)
        except Exception as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise CommandError(f"Backup failed, nothing kept: {exc}") from exc
        counts = ", ".join(f"{label} {count}" for label, count in manifest["counts"].items())
        self.stdout.write(f"      rows: {counts}")
        total = sum(part.bytes for part in parts.values())
        self.stdout.write(self.style.SUCCESS(f"Backup complete ({_size(total)}): {folder}"))

    def _parts(self, folder: Path) -> dict[str, Part]:
        makers = {
            "database": lambda: database_dump(folder=folder),
            "media": lambda: files_archive(name="media", folder=folder),
            "private": lambda: files_archive(name="private", folder=folder),
        }
        parts = {}
        for number, (key, make) in enumerate(makers.items(), start=1):
            self.stdout.write(f"[{number}/4] {LABELS[key]}")
            started = time.monotonic()
            part = make()
            plural = "" if part.files == 1 else "s"
            files = "" if part.files is None else f"{part.files} file{plural}, "
            self.stdout.write(
                f"      {part.file}: {files}{_size(part.bytes)} "
                f"({time.monotonic() - started:.1f} s)"
            )
            parts[key] = part
        return parts
