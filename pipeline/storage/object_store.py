"""The curated store at an fsspec URL (object storage: `s3://bucket/prefix`, `memory://...`).

An object store has no rename: "moving" a file is a copy and a delete, and several of them can be
seen half done, so the local store's swap-and-journal cannot make a change atomic there. Here a
write never touches a file a reader may use. Each table's new content goes to a data file under a
name never used before (`<table>/census_year=YYYY/data-<token>.parquet`, `<table>/data-<token>.parquet`),
and the change becomes visible when one small object, `_manifest.json`, is replaced: it names the
data file (with its sha256) of every table and year. A single object write is atomic on the
stores fsspec serves (a reader gets the old object or the new one, never part of one), and readers
read the manifest first, so they see the whole previous state or the whole change, never half.
- A writer that dies before the manifest leaves the previous state: its data files are in no
  manifest, and the next writer sweeps them.
- Files a change replaced are deleted by the change after it, not at once: a reader that read the
  manifest just before a commit still finds the files it names.
- "Same content, leave alone" compares the sha256 the manifest records with the staged file's:
  nothing is read back from the store.

One writer at a time: the writer lock is a lock file in curated_dir on the local disk, so it
serialises the writers of one machine. Object stores offer no lock fsspec can take; writers on
several machines are the deployment's to serialise (one Dagster daemon run queue,
`max_concurrent_runs: 1`, as docs/deployment.md sets up). Two writers at once would not only race
for the manifest (the last one wins, the other's change is lost) but each would sweep the other's
not yet committed files, so the rule is not a nicety.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyarrow.fs as pafs
from fsspec import AbstractFileSystem
from fsspec.core import url_to_fs

from pipeline.read.delivery import file_sha256
from pipeline.settings import Settings
from pipeline.tables.spec import PARTITION

MANIFEST = "_manifest.json"
DATA_PREFIX = "data-"


@dataclass(frozen=True)
class ObjectStore:
    fs: AbstractFileSystem
    root: str  # the store's folder inside fs, no protocol, no trailing slash

    def path(self, relative: str) -> str:
        return f"{self.root}/{relative}"

    def uri(self, relative: str) -> str:
        """The full URL, as DuckDB (given the filesystem) reads it."""
        return self.fs.unstrip_protocol(self.path(relative))

    @cached_property
    def arrow_filesystem(self) -> pafs.FileSystem:
        return pafs.PyFileSystem(pafs.FSSpecHandler(self.fs))


def object_store(settings: Settings) -> ObjectStore | None:
    """The store at settings' URL, or None when the curated store is a local folder."""
    url = settings.parquet_url
    if url is None:
        return None
    fs, root = url_to_fs(url)
    return ObjectStore(fs, root.rstrip("/"))


def entry_key(table: str, year: int | None) -> str:
    return table if year is None else f"{table}/{PARTITION}={year}"


def read_manifest(store: ObjectStore) -> dict:
    """The committed state: {"files": {entry key: {"file", "sha256", "size"}}, "superseded": [...]}."""
    try:
        return json.loads(store.fs.cat_file(store.path(MANIFEST)))
    except FileNotFoundError:
        return {"files": {}, "superseded": []}


def table_entries(manifest: dict, table: str) -> dict[int | None, str]:
    """A table's data files in a manifest by census year (None: an all-years table)."""
    files = manifest["files"]
    if table in files:
        return {None: files[table]["file"]}
    prefix = f"{table}/{PARTITION}="
    return {int(key[len(prefix):]): entry["file"] for key, entry in sorted(files.items()) if key.startswith(prefix)}


def fingerprint(manifest: dict, table: str) -> list[str]:
    """Lines that change whenever the table's content does (a new content is a new file name)."""
    files = manifest["files"]
    return [f"{files[key]['file']}:{files[key]['sha256']}" for key in sorted(files)
            if key == table or key.startswith(f"{table}/{PARTITION}=")]


def commit(store: ObjectStore, swaps: list[dict]) -> list[str]:
    """Upload the staged files whose content differs from the stored one and make them the state
    with one manifest write (the caller holds the writer lock); returns the changed tables."""
    manifest = read_manifest(store)
    files = dict(manifest["files"])
    replaced, changed = [], set()
    token = uuid.uuid4().hex[:12]  # fresh on every commit: a retried step never reuses a name
    for swap in swaps:
        key, staged = entry_key(swap["table"], swap["year"]), Path(swap["scratch"])
        digest, current = file_sha256(staged), files.get(key)
        if current is not None and current["sha256"] == digest:
            continue
        relative = f"{key}/{DATA_PREFIX}{token}.parquet"
        store.fs.put_file(str(staged), store.path(relative))
        files[key] = {"file": relative, "sha256": digest, "size": staged.stat().st_size}
        if current is not None:
            replaced.append(current["file"])
        changed.add(swap["table"])
    if not changed:
        return []
    store.fs.pipe_file(store.path(MANIFEST), json.dumps({"files": files, "superseded": replaced}, indent=1).encode())
    for old in manifest["superseded"]:  # replaced one change ago: readers have moved on
        if store.fs.exists(store.path(old)):
            store.fs.rm_file(store.path(old))
    return sorted(changed)


def sweep(store: ObjectStore) -> list[str]:
    """Delete data files no manifest state needs: those of a writer that died before its
    manifest, and those a change replaced when the change after it died before deleting them."""
    if not store.fs.exists(store.root):
        return []
    manifest = read_manifest(store)
    kept = {store.path(e["file"]) for e in manifest["files"].values()} | {store.path(f) for f in manifest["superseded"]}
    swept = []
    for path in store.fs.find(store.root):
        path = path.rstrip("/")
        if Path(path).name.startswith(DATA_PREFIX) and path.endswith(".parquet") and path not in kept:
            store.fs.rm_file(path)
            swept.append(path)
    return swept
