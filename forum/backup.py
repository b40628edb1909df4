"""Backups of the whole site, and restores from them.

A backup is one dated folder:

- ``database.<ext>`` — the database, dumped by django-dbbackup (pg_dump's custom format on
  PostgreSQL, restored with pg_restore; SQLite's online backup API on SQLite), with the
  ``.metadata`` file dbbackup writes beside it so that a dump is never restored into
  another engine;
- ``media.tar.gz`` — the public uploads (``MEDIA_ROOT``: Wagtail documents and images);
- ``private.tar.gz`` — the permission-checked files (``PRIVATE_MEDIA_ROOT``: proposal,
  solution and project attachments);
- ``manifest.json`` — every part with its size and SHA-256, the applied migrations and the
  row counts that a restore checks against.

The two file roots are archived here rather than with dbbackup's ``mediabackup``, which
reads only the default storage and would leave the private files out.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from dbbackup.db.base import get_connector

FORMAT = 1
MANIFEST = "manifest.json"
# Archive name → the setting naming the directory it holds.
FILE_ROOTS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}
# Rows counted at backup time and compared after a restore.
COUNTED_MODELS = {
    "users": "forum.User",
    "organisations": "forum.Organisation",
    "challenges": "forum.Challenge",
    "solutions": "forum.SolutionProfile",
    "proposals": "forum.Proposal",
    "proposal_attachments": "forum.ProposalAttachment",
    "projects": "forum.Project",
    "pages": "wagtailcore.Page",
    "documents": "wagtaildocs.Document",
    "images": "wagtailimages.Image",
    "index_entries": "search.IndexedDocument",
}


class BackupError(Exception):
    """A backup cannot be made or restored as asked; the message says why."""


@dataclass(frozen=True)
class Part:
    """One file of a backup folder, as the manifest records it."""

    file: str
    bytes: int
    sha256: str
    files: int | None = None  # members of a file archive


def file_root(name: str) -> Path:
    """The directory an archive of the backup belongs to (read at call time)."""
    return Path(getattr(settings, FILE_ROOTS[name]))


def backup_folder_create(*, parent: Path) -> Path:
    """A new, empty folder named after the current local time, readable by its owner only."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(parent) / f"forum-{stamp}"
    try:
        Path(parent).mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700)
    except FileExistsError as exc:
        raise BackupError(
            f"{folder} already exists; wait a second or choose another folder."
        ) from exc
    return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _part(path: Path, files: int | None = None) -> Part:
    return Part(file=path.name, bytes=path.stat().st_size, sha256=_sha256(path), files=files)


def database_dump(*, folder: Path) -> Part:
    """Dump the default database into the folder through django-dbbackup."""
    path = folder / f"database.{get_connector().extension}"
    call_command("dbbackup", output_path=str(path), interactive=False, quiet=True)
    return _part(path)


def _files_under(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def files_archive(*, name: str, folder: Path) -> Part:
    """Archive every file under one file root, with paths relative to it."""
    root = file_root(name)
    path = folder / f"{name}.tar.gz"
    files = _files_under(root)
    with tarfile.open(path, "w:gz") as archive:
        for file in files:
            archive.add(file, arcname=str(file.relative_to(root)), recursive=False)
    return _part(path, files=len(files))


def row_counts() -> dict[str, int]:
    """How many rows the counted models hold now."""
    return {label: apps.get_model(name).objects.count() for label, name in COUNTED_MODELS.items()}


def _latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app_label] = max(latest.get(app_label, ""), name)
    return latest


def _project_version() -> str:
    try:
        return metadata.version("osaka-partners-forum")
    except metadata.PackageNotFoundError:
        return "unknown"


def manifest_write(*, folder: Path, parts: dict[str, Part]) -> dict:
    """Write manifest.json for the parts of a finished backup and return it."""
    connector = type(get_connector())
    manifest = {
        "format": FORMAT,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "version": _project_version(),
        "database": {
            "engine": connection.settings_dict["ENGINE"],
            "connector": f"{connector.__module__}.{connector.__name__}",
        },
        "parts": {key: asdict(part) for key, part in parts.items()},
        "migrations": _latest_migrations(),
        "counts": row_counts(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def manifest_read(*, folder: Path) -> dict:
    """Read a backup's manifest and check that every part is there and unchanged."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a backup folder: {MANIFEST} is missing.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} in {path}.")
    for key, part in manifest["parts"].items():
        file = Path(folder) / part["file"]
        if not file.is_file():
            raise BackupError(f"The {key} part {file} is missing.")
        if _sha256(file) != part["sha256"]:
            raise BackupError(f"The {key} part {file} does not match its SHA-256 in the manifest.")
    engine = connection.settings_dict["ENGINE"]
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"The backup holds a {manifest['database']['engine']} database; "
            f"this site uses {engine}. Restore into the same kind of database."
        )
    return manifest


def target_contents() -> dict[str, int]:
    """What the restore target already holds: tables in the database, files in each root."""
    contents = {"tables": len(connection.introspection.table_names())}
    for name in FILE_ROOTS:
        contents[name] = len(_files_under(file_root(name)))
    return contents


def target_clear() -> None:
    """Empty the target: drop every table of the database and every file of both roots."""
    tables = connection.introspection.table_names()
    if tables and connection.vendor == "postgresql":
        quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
    # SQLite needs nothing: its restore replaces the database file whole.
    for name in FILE_ROOTS:
        root = file_root(name)
        if root.is_dir():
            shutil.rmtree(root)


def database_restore(*, folder: Path, manifest: dict) -> None:
    """Load the dump into the default database through django-dbbackup."""
    path = Path(folder) / manifest["parts"]["database"]["file"]
    call_command("dbrestore", input_path=str(path), interactive=False, quiet=True)
    connection.close()  # the next query opens the restored database


def files_extract(*, name: str, folder: Path, manifest: dict) -> int:
    """Unpack one file archive into its root; returns how many files it held."""
    root = file_root(name)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(Path(folder) / manifest["parts"][name]["file"], "r:gz") as archive:
        members = [member for member in archive.getmembers() if member.isfile()]
        # The "data" filter refuses absolute paths, links and names that climb out of root.
        archive.extractall(root, members=members, filter="data")
    return len(members)


def counts_differing(expected: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Counted models whose rows differ from the manifest: label → (expected, found)."""
    found = row_counts()
    return {
        label: (count, found.get(label, 0))
        for label, count in expected.items()
        if found.get(label, 0) != count
    }
