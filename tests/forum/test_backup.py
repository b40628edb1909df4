"""Backups and restores: one folder holds the database and both file roots, and a restore
into an empty database brings back rows, files and a search index that matches them."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from io import StringIO
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import psycopg
import pytest

from forum.backup import files_extract
from forum.checks import backup_root_outside_media
from forum.models import Field, Proposal, ProposalAttachment
from forum.services.proposals import proposal_attachment_add, proposal_create
from forum.services.solutions import solution_create, solution_set_published
from tests.forum.helpers import company_member
from tests.forum.proposal_fixtures import PDF, pdf_upload, published_challenge

ROOT = Path(__file__).resolve().parents[2]
ROW_QUERIES = {
    "challenge": "SELECT title FROM forum_challenge WHERE is_published",
    "solution": "SELECT title FROM forum_solutionprofile WHERE is_published",
    "proposal": "SELECT title FROM forum_proposal",
    "attachment": "SELECT file FROM forum_proposalattachment",
    "document": "SELECT file FROM wagtaildocs_document",
    "image": "SELECT file FROM wagtailimages_image",
    "indexed": "SELECT doc_type || ':' || object_id FROM search_indexeddocument",
}


@pytest.fixture
def site_data(transactional_db, settings):
    """A published challenge, a published solution, a proposal with a private attachment,
    a public document and image: committed, so that pg_dump in its own process sees them."""
    settings.SEARCH_VECTORS = False
    user, organisation = company_member()
    challenge = published_challenge(title="ため池の水位を見守りたい")
    solution = solution_create(
        actor=user,
        organisation=organisation,
        title="水位センサー",
        summary="ため池の見守り",
        fields=[Field.objects.get(slug="safety")],
    )
    solution_set_published(actor=user, solution=solution, published=True)
    proposal = proposal_create(
        actor=user,
        challenge=challenge,
        organisation=organisation,
        title="センサーで水位監視",
        summary="低コストのセンサーを設置します。",
    )
    attachment = proposal_attachment_add(actor=user, proposal=proposal, upload=pdf_upload())
    document = Document.objects.create(
        title="募集要項", file=ContentFile(b"%PDF-1.4 guide", "guide.pdf")
    )
    image = Image.objects.create(title="ため池", file=get_test_image_file("tameike.png"))
    call_command("rebuild_index", vectors_later=True, stdout=StringIO())
    return {"attachment": attachment, "document": document, "image": image}


def _backup(tmp_path: Path) -> Path:
    out = StringIO()
    call_command("backup_site", output_dir=tmp_path / "backups", stdout=out)
    (folder,) = (tmp_path / "backups").iterdir()
    assert "Backup complete" in out.getvalue()
    return folder


def _restore_in_new_process(folder: Path, *, database_url: str, var_dir: Path):
    """Run restore_site as an operator would, against another database and file roots."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "SEARCH_VECTORS": "0",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore_site", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _source_rows() -> dict[str, list]:
    with connection.cursor() as cursor:
        return {key: sorted(_fetch(cursor, sql)) for key, sql in ROW_QUERIES.items()}


def _fetch(cursor, sql: str) -> list:
    cursor.execute(sql)
    return [row[0] for row in cursor.fetchall()]


def _assert_files_back(data: dict, var_dir: Path) -> None:
    # config.settings.test places both roots under VAR_DIR.
    attachment, document, image = data["attachment"], data["document"], data["image"]
    assert (var_dir / "test-private" / attachment.file.name).read_bytes() == PDF
    assert (var_dir / "test-media" / document.file.name).read_bytes() == b"%PDF-1.4 guide"
    original = Path(settings.MEDIA_ROOT) / image.file.name
    assert (var_dir / "test-media" / image.file.name).read_bytes() == original.read_bytes()


def _assert_restored(result, data, rows, restored_rows, var_dir) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 differences: the index matches the database." in result.stdout
    assert restored_rows == rows
    assert rows["challenge"] == ["ため池の水位を見守りたい"]
    assert rows["attachment"] and rows["document"] and rows["image"] and rows["indexed"]
    _assert_files_back(data, var_dir)


@pytest.mark.postgres
def test_backup_restored_into_an_empty_postgres_database_brings_everything_back(
    site_data, tmp_path
):
    """Rows, public and private files come back in a fresh database; the index matches."""
    folder = _backup(tmp_path)
    rows = _source_rows()
    source = connection.settings_dict
    target = f"{source['NAME']}_restore"
    credentials = quote(source["USER"] or "") + (
        f":{quote(source['PASSWORD'])}" if source.get("PASSWORD") else ""
    )
    url = (
        f"postgres://{credentials}@{source['HOST'] or 'localhost'}:{source['PORT'] or 5432}/"
        f"{target}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        result = _restore_in_new_process(folder, database_url=url, var_dir=tmp_path / "restored")
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as restored:
            restored_rows = {
                k: sorted(_fetch(restored.cursor(), q)) for k, q in ROW_QUERIES.items()
            }
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    _assert_restored(result, site_data, rows, restored_rows, tmp_path / "restored")


def test_backup_restored_into_an_empty_sqlite_file_brings_everything_back(site_data, tmp_path):
    """On the embedded default the same round trip works with a new SQLite file."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip runs when the suite itself runs on SQLite")
    folder = _backup(tmp_path)
    rows = _source_rows()
    target = tmp_path / "restored.sqlite3"
    result = _restore_in_new_process(
        folder, database_url=f"sqlite:///{target}", var_dir=tmp_path / "restored"
    )
    with sqlite3.connect(target) as restored:
        restored_rows = {k: sorted(_fetch(restored.cursor(), q)) for k, q in ROW_QUERIES.items()}
    _assert_restored(result, site_data, rows, restored_rows, tmp_path / "restored")


def test_manifest_names_every_part_with_its_checksum_and_counts(site_data, tmp_path):
    """The manifest lists the three parts and the rows a restore will check against."""
    folder = _backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["parts"]) == {"database", "media", "private"}
    assert manifest["parts"]["private"]["files"] == 1
    assert manifest["parts"]["media"]["files"] >= 2
    assert manifest["counts"]["proposal_attachments"] == 1
    assert manifest["counts"]["challenges"] == 1
    for part in manifest["parts"].values():
        assert (folder / part["file"]).stat().st_size == part["bytes"]


def test_restore_into_a_database_that_holds_data_is_refused_without_force(site_data, tmp_path):
    """Without --force a restore never touches a database that already has tables."""
    folder = _backup(tmp_path)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_site", str(folder), interactive=False, stdout=StringIO())
    assert Proposal.objects.count() == 1
    assert ProposalAttachment.objects.get().file.storage.exists(
        ProposalAttachment.objects.get().file.name
    )


def test_backup_with_a_changed_part_is_refused_before_anything_is_restored(site_data, tmp_path):
    """A part whose checksum no longer matches the manifest stops the restore at once."""
    folder = _backup(tmp_path)
    with (folder / "private.tar.gz").open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore_site", str(folder), "--force", interactive=False, stdout=StringIO())
    assert Proposal.objects.count() == 1


def test_backup_folder_is_readable_by_its_owner_only(site_data, tmp_path):
    """A backup holds private files and password hashes: no one else may list or read it."""
    folder = _backup(tmp_path)
    assert folder.stat().st_mode & 0o077 == 0


def test_backup_root_inside_media_root_fails_the_system_check(settings, tmp_path):
    """Backups placed under the publicly served media folder are refused by `manage.py check`."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_ROOT = tmp_path / "media" / "backups"
    assert [error.id for error in backup_root_outside_media(None)] == ["forum.E002"]
    settings.BACKUP_ROOT = tmp_path / "backups"
    assert backup_root_outside_media(None) == []


def test_archive_member_that_climbs_out_of_its_root_is_refused(settings, tmp_path):
    """A file archive naming ../ paths cannot write outside PRIVATE_MEDIA_ROOT."""
    archive = tmp_path / "private.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    manifest = {"parts": {"private": {"file": archive.name}}}
    with pytest.raises(tarfile.TarError):
        files_extract(name="private", folder=tmp_path, manifest=manifest)
    assert not (tmp_path / "escaped.txt").exists()
