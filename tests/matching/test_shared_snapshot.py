"""The matcher's shared snapshot: written once per index version, mapped by every process."""

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import search.backends.embedded as store
from matching.backends import embedded
from matching.backends.embedded import Matcher, matcher_in_memory, site_matcher
from matching.backends.shared import (
    MappedSide,
    SortedTerms,
    snapshot_read,
    snapshot_write,
    version_name,
)
from matching.query import Profile
from search.backends.embedded import index_version_bump
from search.models import IndexedDocument
from tests.matching.helpers import build_world

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def snapshot_dir(settings, tmp_path):
    """Versions written under a fresh directory; no matcher kept from an earlier test."""
    settings.MATCHING_SNAPSHOT_DIR = str(tmp_path / "matching")
    embedded._cache.clear()
    yield tmp_path / "matching"
    embedded._cache.clear()


def _ranked(matcher, doc_id, **kwargs):
    return [
        (s.doc_id, s.score, [(r.clause, r.score, r.detail) for r in s.reasons], s.phrases)
        for s in matcher.suggest(matcher.profiles[doc_id], **kwargs)
    ]


def _versions(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.startswith("v"))


def _profiles(count: int = 40) -> list[Profile]:
    rng = np.random.default_rng(7)
    words = ["ため池", "水位", "見守り", "センサー", "観光", "アプリ", "drone", "water", "防災"]
    profiles = []
    for number in range(1, count + 1):
        kind = "challenge" if number % 3 == 0 else "solution"
        vector = rng.standard_normal(384).astype(np.float32)
        profiles.append(
            Profile(
                f"{kind}:{number}",
                kind,
                "".join(rng.choice(words, 3)),
                "、".join(rng.choice(words, 6)),
                " ".join(rng.choice(words, 12)),
                fields=[str(rng.choice(["safety", "industry"]))],
                technologies=[str(rng.choice(["センサー", "ｾﾝｻｰ", "drone"]))],
                municipalities=[str(rng.choice(["271403", "272051"]))],
                stage=str(rng.choice(["poc", "poc_ready", "in_service"])),
                status=str(rng.choice(["open", "closed"])) if kind == "challenge" else "",
                language="en" if number % 4 == 0 else "ja",
                vector=vector / np.linalg.norm(vector) if number % 5 else None,
            )
        )
    return profiles


def test_mapped_matcher_ranks_as_the_matcher_in_memory(tmp_path):
    """Every suggestion, score, reason and phrase read from the files equals the in-memory one."""
    profiles = _profiles()
    in_memory = Matcher(profiles)
    mapped = snapshot_read(
        snapshot_write(in_memory, ("version", "t1"), tmp_path),
        ("version", "t1"),
        matcher_class=Matcher,
    )
    assert isinstance(mapped.sides["solution"], MappedSide)
    for profile in profiles:
        assert _ranked(mapped, profile.id) == _ranked(in_memory, profile.id)
        assert _ranked(mapped, profile.id, exclude={"solution:2"}) == _ranked(
            in_memory, profile.id, exclude={"solution:2"}
        )
    for doc_id in ("challenge:3", "solution:4", "solution:5"):
        read, built = mapped.profiles[doc_id], in_memory.profiles[doc_id]
        assert replace(read, vector=None) == replace(built, vector=None)
        assert (read.vector is None and built.vector is None) or np.array_equal(
            read.vector, built.vector
        )
    assert "solution:999" not in mapped.profiles and "project:1" not in mapped.profiles


def test_sorted_terms_find_only_what_they_hold():
    """Lookups by binary search: known terms, unknown ones, and terms longer than any held."""
    terms = SortedTerms(np.array(sorted(t.encode() for t in ["水位", "ab", "見守り"]), dtype="S9"))
    assert [int(i) for i in terms.ids_of(["見守り", "水位", "ab", "abc", "見守りたい", ""])] == [
        2,
        1,
        0,
        -1,
        -1,
        -1,
    ]
    assert "水位" in terms and "水" not in terms and terms.get("zz") is None


@pytest.mark.django_db
def test_site_matcher_maps_one_version_and_ranks_as_in_memory(snapshot_dir):
    """The site's matcher is read from the version directory and ranks as the built one does."""
    world = build_world()
    matcher, entries = site_matcher()
    side = matcher.sides["solution"]
    # Plain read-only arrays over the mapped file (np.memmap's own slicing is slow).
    assert isinstance(side, MappedSide) and type(side.vectors) is np.ndarray
    assert isinstance(side.vectors.base, np.memmap) and not side.vectors.flags.writeable
    assert str(side.vectors.base.filename).startswith(str(snapshot_dir))
    assert len(_versions(snapshot_dir)) == 1
    _, built = matcher_in_memory()
    for doc_id in built.profiles:
        assert _ranked(matcher, doc_id) == _ranked(built, doc_id)
    challenge_id = f"challenge:{world['challenge'].pk}"
    assert entries[challenge_id].title == "ため池の水位を見守りたい"


def _mapped_files(pid: int | str, root: Path) -> set[tuple[str, int]]:
    """(path, inode) of the files under `root` that a process maps."""
    found = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and parts[5].startswith(str(root)):
            found.add((parts[5], int(parts[4])))
    return found


READER = """
import json, os, sys
import django
django.setup()
from pathlib import Path
from matching.backends.embedded import Matcher
from matching.backends.shared import snapshot_read
directory, key = Path(sys.argv[1]), tuple(json.loads(sys.argv[2]))
matcher = snapshot_read(directory, key, matcher_class=Matcher)
ranked = [s.doc_id for s in matcher.suggest(matcher.profiles[sys.argv[3]])]
maps = []
for line in Path("/proc/self/maps").read_text().splitlines():
    parts = line.split(maxsplit=5)
    if len(parts) == 6 and parts[5].startswith(str(directory)):
        maps.append([parts[5], int(parts[4])])
print(json.dumps({"ranked": ranked, "maps": maps}))
"""


@pytest.mark.django_db
def test_two_processes_map_the_same_files(snapshot_dir):
    """Another process maps the very files this one maps (same inodes), copying nothing."""
    world = build_world()
    matcher, _ = site_matcher()
    key = embedded._cache["key"]
    directory = snapshot_dir / version_name(key)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in directory.iterdir())
    source = f"challenge:{world['challenge'].pk}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", READER, str(directory), json.dumps(list(key)), source],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    other = json.loads(result.stdout.strip().splitlines()[-1])
    theirs = {(path, inode) for path, inode in other["maps"]}
    ours = _mapped_files("self", directory)
    assert theirs and theirs == ours
    assert any(path.endswith("solution__vectors.npy") for path, _ in theirs)
    assert other["ranked"] == [s.doc_id for s in matcher.suggest(matcher.profiles[source])]
    assert sorted((p.name, p.stat().st_mtime_ns) for p in directory.iterdir()) == before
    assert _versions(snapshot_dir) == [directory.name]


def _retitle(entry: IndexedDocument, title: str) -> None:
    """Change a stored entry as a writer of the store does (new content, new version token)."""
    IndexedDocument.objects.filter(pk=entry.pk).update(title=title, content_hash=f"h-{title}")
    index_version_bump()


@pytest.mark.django_db
def test_a_new_version_is_picked_up_and_old_ones_removed(snapshot_dir):
    """After a change the next reading maps a new version; only the one before is kept."""
    world = build_world()
    site_matcher()
    first = _versions(snapshot_dir)
    entry = IndexedDocument.objects.get(doc_type="solution", object_id=world["fitting"].pk)
    _retitle(entry, "河川の水位センサー")
    matcher, _ = site_matcher()
    assert matcher.profiles[f"solution:{entry.object_id}"].title == "河川の水位センサー"
    second = _versions(snapshot_dir)
    assert len(second) == 2 and set(first) < set(second)
    _retitle(entry, "ため池の水位センサー")
    matcher, _ = site_matcher()
    assert matcher.profiles[f"solution:{entry.object_id}"].title == "ため池の水位センサー"
    third = _versions(snapshot_dir)
    assert len(third) == 2 and not set(first) & set(third)


def _truncate_vectors(directory: Path) -> None:
    path = directory / "solution__vectors.npy"
    path.write_bytes(path.read_bytes()[:200])


def _drop_manifest(directory: Path) -> None:
    (directory / "manifest.json").unlink()


def _garble_manifest(directory: Path) -> None:
    (directory / "manifest.json").write_text("{not json")


def _drop_postings(directory: Path) -> None:
    next(directory.glob("solution__bm25_title_docs.npy")).unlink()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "damage", [_truncate_vectors, _drop_manifest, _garble_manifest, _drop_postings]
)
def test_a_damaged_or_missing_version_is_built_again(snapshot_dir, damage, caplog):
    """A version that cannot be read is written again, and the suggestions stay the same."""
    world = build_world()
    matcher, _ = site_matcher()
    source = f"challenge:{world['challenge'].pk}"
    expected = _ranked(matcher, source)
    directory = snapshot_dir / version_name(embedded._cache["key"])
    damage(directory)
    embedded._cache.clear()  # as a process that starts now
    matcher, _ = site_matcher()
    assert isinstance(matcher.sides["solution"], MappedSide)
    assert _ranked(matcher, source) == expected
    assert (directory / "manifest.json").exists()
    assert snapshot_read(directory, embedded._cache["key"], matcher_class=Matcher) is not None


@pytest.mark.django_db
def test_a_version_deleted_under_a_process_is_built_again(snapshot_dir):
    """With the whole directory gone, the next reading writes the version again."""
    import shutil

    world = build_world()
    site_matcher()
    shutil.rmtree(snapshot_dir)
    embedded._cache.clear()
    matcher, _ = site_matcher()
    assert isinstance(matcher.sides["solution"], MappedSide)
    assert f"challenge:{world['challenge'].pk}" in matcher.profiles
    assert len(_versions(snapshot_dir)) == 1


@pytest.mark.django_db
def test_an_unwritable_directory_leaves_the_matcher_in_memory(settings, tmp_path):
    """The site still suggests when the snapshot cannot be written (a file stands in the way)."""
    blocker = tmp_path / "occupied"
    blocker.write_text("")
    settings.MATCHING_SNAPSHOT_DIR = str(blocker / "matching")
    embedded._cache.clear()
    world = build_world()
    matcher, _ = site_matcher()
    assert not isinstance(matcher.sides["solution"], MappedSide)
    suggestions = matcher.suggest(matcher.profiles[f"challenge:{world['challenge'].pk}"])
    assert suggestions[0].doc_id == f"solution:{world['fitting'].pk}"
    embedded._cache.clear()


@pytest.mark.django_db
def test_a_new_process_analyses_only_what_changed(snapshot_dir, monkeypatch):
    """A process that builds the next version takes over the stored term counts of the last."""
    world = build_world()
    site_matcher()
    # As a process that never analysed anything: no snapshot, no term counts.
    monkeypatch.setattr(store, "_snapshot", None)
    monkeypatch.setattr(store, "_analysed", {})
    monkeypatch.setattr(store, "_vocabulary", {})
    analysed = []
    original = store.analyze_fields

    def counting(texts, **kwargs):
        analysed.append(texts["title"])
        return original(texts, **kwargs)

    monkeypatch.setattr(store, "analyze_fields", counting)
    entry = IndexedDocument.objects.get(doc_type="solution", object_id=world["fitting"].pk)
    _retitle(entry, "河川の水位センサー")
    embedded._cache.clear()
    matcher, _ = site_matcher()
    assert analysed == ["河川の水位センサー"]
    _, built = matcher_in_memory()
    for doc_id in built.profiles:
        assert _ranked(matcher, doc_id) == _ranked(built, doc_id)


@pytest.mark.django_db
def test_a_process_answers_with_its_matcher_while_another_builds(snapshot_dir):
    """While another process holds the build lock, a process with a matcher does not wait."""
    import fcntl

    world = build_world()
    site_matcher()
    entry = IndexedDocument.objects.get(doc_type="solution", object_id=world["fitting"].pk)
    doc_id = f"solution:{entry.object_id}"
    _retitle(entry, "河川の水位センサー")
    with (snapshot_dir / ".lock").open("a") as other_builder:
        fcntl.flock(other_builder, fcntl.LOCK_EX)
        matcher, _ = site_matcher()
        assert matcher.profiles[doc_id].title == "水位センサーで見守り"
        assert len(_versions(snapshot_dir)) == 1
        fcntl.flock(other_builder, fcntl.LOCK_UN)
    matcher, _ = site_matcher()
    assert matcher.profiles[doc_id].title == "河川の水位センサー"
