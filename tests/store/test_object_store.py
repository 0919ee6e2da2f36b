"""The curated store at an fsspec URL (storage.parquet_store): object storage is a settings change.
A `memory://` store stands in for S3: it has no rename either, and fsspec serves both the same way.
The same writes give the same curated tables (byte for byte) and the same census.duckdb as the
local folder; a write that dies half-way leaves the previous state readable; a URL whose protocol
nothing can open stops the settings load with one line naming the key."""

from __future__ import annotations

import hashlib
import shutil
import uuid

import duckdb
import fsspec
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from pipeline import storage
from pipeline.config import ConfigError
from pipeline.settings import load_settings
from pipeline.storage import object_store as objects
from pipeline.storage.query_database import in_step
from pipeline.tables.registry import table_registry


@pytest.fixture
def memory_url():
    """A memory:// store of its own (the memory filesystem is shared by the whole process)."""
    url = f"memory://census-test-{uuid.uuid4().hex[:8]}/curated"
    yield url
    fs, root = fsspec.core.url_to_fs(url)
    if fs.exists(root):
        fs.rm(root, recursive=True)


@pytest.fixture
def remote(project, memory_url):
    return project.with_section("storage", parquet_store=memory_url)


def _log(n: int, year: int, tag: str) -> pd.DataFrame:
    return pd.DataFrame({"census_year": year, "record_id": [f"{year}-{i:07d}" for i in range(n)], "source_row": range(n),
                         "column": "firm_name", "old_value": [f"{tag}{i}" for i in range(n)], "new_value": None, "rule": tag})


def _file_digests(settings) -> dict[str, str]:
    """Every stored file of every registered table, by table and year, as sha256."""
    store = objects.object_store(settings)
    out = {}
    for name in table_registry(settings).tables:
        if store is None:
            for path in storage.table_files(settings, name):
                out[str(path.parent.relative_to(settings.parquet_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            for year, file in objects.table_entries(objects.read_manifest(store), name).items():
                key = objects.entry_key(name, year)
                out[key] = hashlib.sha256(store.fs.cat_file(store.path(file))).hexdigest()
    return out


def _arrow_tables(settings) -> dict[str, list]:
    """Every registered table's stored files as Arrow tables, read through pyarrow."""
    store = objects.object_store(settings)
    out = {}
    for name in table_registry(settings).tables:
        if store is None:
            out[name] = [pq.read_table(path) for path in storage.table_files(settings, name)]
        else:
            files = objects.table_entries(objects.read_manifest(store), name).values()
            out[name] = [pq.read_table(store.path(f), filesystem=store.arrow_filesystem) for f in files]
    return out


def _relations(settings) -> dict[str, tuple]:
    """census.duckdb: every relation's columns, types, comment and rows (the build record aside)."""
    out = {}
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
        for name in sorted(set(names) - {"_build_state"}):
            columns = con.execute("SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [name]).fetchall()
            comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ? UNION ALL "
                                  "SELECT comment FROM duckdb_views() WHERE view_name = ?", [name, name]).fetchall()
            rows = con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
            out[name] = (comment, columns, rows)
    return out


def test_an_object_store_holds_the_same_tables_and_database_as_the_local_folder(project, remote, tmp_path):
    from tests.outputs.conftest import make_census_db

    local = project.with_section("paths", curated_dir=str(tmp_path / "local"))
    remote = remote.with_section("paths", curated_dir=str(tmp_path / "remote"))
    make_census_db(local)
    make_census_db(remote)
    assert remote.parquet_url is not None and not (tmp_path / "remote" / "parquet").exists()  # nothing went to the local disk
    digests = _file_digests(local)
    assert len(digests) > 10 and _file_digests(remote) == digests  # the same bytes, the same layout of tables and years
    here, there = _arrow_tables(local), _arrow_tables(remote)
    assert here.keys() == there.keys() and all(a.equals(b) for n in here for a, b in zip(here[n], there[n], strict=True))
    assert _relations(remote) == _relations(local)
    for name in ("firm_year", "load_log", "ksic"):
        pd.testing.assert_frame_equal(storage.read_table(remote, name), storage.read_table(local, name))
    assert storage.table_years(remote, "firm_year") == storage.table_years(local, "firm_year") == [2023, 2024]


def test_a_write_is_read_back_and_the_same_content_is_left_alone(remote):
    assert storage.write_year(remote, 2022, {"change_log": _log(2, 2022, "a")}) == ["change_log"]
    store = objects.object_store(remote)
    before = objects.read_manifest(store)
    assert storage.write_year(remote, 2022, {"change_log": _log(2, 2022, "a")}) == []  # unchanged: not even a new manifest
    assert objects.read_manifest(store) == before
    assert storage.write_year(remote, 2022, {"change_log": _log(3, 2022, "b")}) == ["change_log"]
    assert storage.read_table(remote, "change_log", 2022)["old_value"].tolist() == ["b0", "b1", "b2"]
    assert storage.read_table(remote, "change_log", columns=["old_value"], filters=[("old_value", "=", "b1")])["old_value"].tolist() == ["b1"]
    storage.build_query_database(remote)
    with storage.connect_readonly(remote) as con:
        assert con.execute("SELECT count(*) FROM change_log WHERE census_year = 2022").fetchone()[0] == 3


def test_a_refused_frame_uploads_nothing(remote):
    from pipeline.tables.conform import SchemaError

    storage.write_year(remote, 2022, {"change_log": _log(2, 2022, "a")})
    store = objects.object_store(remote)
    before = sorted(store.fs.find(store.root))
    with pytest.raises(SchemaError, match="quarantine.*missing source_file"):  # after a good new change_log
        storage.write_year(remote, 2022, {"change_log": _log(3, 2022, "b"), "quarantine": pd.DataFrame({"census_year": [2022]})})
    assert sorted(store.fs.find(store.root)) == before


def test_a_reader_of_the_previous_state_still_finds_its_files_after_a_change(remote):
    storage.write_year(remote, 2022, {"change_log": _log(2, 2022, "old")})
    held = storage.table_files(remote, "change_log")  # a reader read the manifest ...
    storage.write_year(remote, 2022, {"change_log": _log(1, 2022, "new")})  # ... then a change was committed
    with duckdb.connect() as con:
        con.register_filesystem(objects.object_store(remote).fs)
        assert con.execute("SELECT count(*) FROM read_parquet(?)", [held]).fetchone()[0] == 2
    storage.write_year(remote, 2022, {"change_log": _log(4, 2022, "newer")})  # the change after it clears them
    store = objects.object_store(remote)
    assert len([p for p in store.fs.find(store.root) if p.endswith(".parquet")]) == 2  # the current file and the one it replaced


def test_an_interrupted_write_leaves_the_previous_state_readable(remote, monkeypatch):
    storage.write_year(remote, 2022, {"change_log": _log(2, 2022, "good")})
    storage.build_query_database(remote)
    store = objects.object_store(remote)
    upload = store.fs.put_file
    calls = []

    def dies_after_the_first_upload(*args, **kwargs):
        if calls:
            raise OSError("connection reset")
        calls.append(args)
        return upload(*args, **kwargs)

    monkeypatch.setattr(store.fs, "put_file", dies_after_the_first_upload)
    quarantine = pd.DataFrame([{"census_year": 2022, "source_file": "f.xlsx", "source_sheet": "S", "source_row": 2, "record_id": "2022-0000002",
                                "column": "brn", "rule": "brn_format", "raw_value": "x", "message_ko": "ㄱ", "message_en": "e", "severity": "error"}])
    with pytest.raises(OSError, match="connection reset"):
        storage.write_year(remote, 2022, {"change_log": _log(5, 2022, "bad"), "quarantine": quarantine})
    monkeypatch.undo()

    def stored_files():
        return [p for p in store.fs.find(store.root) if p.endswith(".parquet")]

    # One of the two new files reached the store, but no manifest names it: the previous state, whole.
    assert len(stored_files()) == 2
    assert storage.read_table(remote, "change_log", 2022)["old_value"].tolist() == ["good0", "good1"]
    assert storage.table_years(remote, "quarantine") == []
    assert in_step(remote, [remote.duckdb_path])[remote.duckdb_path]  # the database built before it is not behind
    # The next writer (here the database build) sweeps the dead writer's file.
    storage.build_query_database(remote)
    assert len(stored_files()) == 1
    with storage.connect_readonly(remote) as con:
        assert con.execute("SELECT count(*) FROM change_log").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0


def test_a_damaged_file_in_the_object_store_is_named_with_the_repair(remote):
    from pipeline.storage.parquet import StoreReadError

    storage.write_year(remote, 2022, {"change_log": _log(2, 2022, "a")})
    store = objects.object_store(remote)
    [file] = objects.table_entries(objects.read_manifest(store), "change_log").values()
    store.fs.pipe_file(store.path(file), store.fs.cat_file(store.path(file))[:200])  # half an upload
    with pytest.raises(StoreReadError) as caught:
        storage.read_table(remote, "change_log", 2022)
    assert file in str(caught.value) and "census run --rebuild" in str(caught.value)


def test_a_file_url_is_the_local_store(project, tmp_path):
    folder = tmp_path / "elsewhere"
    settings = project.with_section("storage", parquet_store=folder.as_uri())
    storage.write_year(settings, 2022, {"change_log": _log(2, 2022, "a")})
    assert settings.parquet_url is None and (folder / "change_log" / "census_year=2022" / "data.parquet").is_file()
    relative = project.with_section("storage", parquet_store="store/parquet")
    assert relative.parquet_dir == project.root / "store" / "parquet"


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize("url, problem", [
    ("s4://bucket/census", "알 수 없는 파일시스템 프로토콜입니다 / unknown filesystem protocol"),
    ("memorry://census", "알 수 없는 파일시스템 프로토콜입니다 / unknown filesystem protocol"),
    pytest.param("s3://bucket/census", "드라이버 패키지를 설치하세요 / the protocol's package is not installed: Install s3fs",
                 marks=pytest.mark.skipif(_installed("s3fs"), reason="s3fs is installed here")),
])
def test_a_url_nothing_can_open_stops_the_settings_load_with_one_line(project, url, problem):
    path = project.source
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["storage"]["parquet_store"] = url
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("config/settings.yaml: storage.parquet_store: ")
    assert problem in message


CURATED = ["firm_year", "quarantine", "validation_flag", "change_log", "supply_link", "supplier_tier", "firm_revenue",
           "firm", "firm_year_identity", "identity_review", "growth_stage", "programme_screening",
           "cluster_member", "cluster_year", "cluster_comparison", "firm_year_difficulty", "difficulty_review"]


def _sample_project(root, deliveries, parquet_store=None):
    """A project with the sample deliveries, its curated store where `parquet_store` says."""
    from census_sample import ROSTER_DIR
    from pipeline.settings import make_project
    from tests.conftest import SHARED_REFERENCE

    path = make_project(root, SHARED_REFERENCE)
    if parquet_store:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw["storage"]["parquet_store"] = parquet_store
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    settings = load_settings(path)
    for src in deliveries.glob("20*"):
        (settings.raw_dir / src.name).write_bytes(src.read_bytes())
    shutil.copytree(deliveries / ROSTER_DIR, settings.raw_dir / ROSTER_DIR)
    return settings


def _load(settings, years):
    """What `census run` does on a fresh project: each year's load, then the all-years steps."""
    import dagster as dg

    from assets.definitions import build_definitions
    from assets.jobs import ALL_YEARS_JOB, CENSUS_LOAD_JOB

    defs, instance = build_definitions(settings), dg.DagsterInstance.ephemeral()
    for year in years:
        assert defs.resolve_job_def(CENSUS_LOAD_JOB).execute_in_process(partition_key=str(year), instance=instance).success
    assert defs.resolve_job_def(ALL_YEARS_JOB).execute_in_process(instance=instance).success


@pytest.mark.slow
def test_the_sample_loaded_into_an_object_store_gives_the_local_tables_and_database(tmp_path, memory_url):
    from census_sample import write_sample

    years = (2023, 2024)
    write_sample(tmp_path / "deliveries", 150, 7, years)
    local = _sample_project(tmp_path / "local", tmp_path / "deliveries")
    remote = _sample_project(tmp_path / "remote", tmp_path / "deliveries", memory_url)
    _load(local, years)
    _load(remote, years)
    assert not remote.curated_dir.joinpath("parquet").exists()
    here = {k: v for k, v in _file_digests(local).items() if k.split("/")[0] in CURATED}
    assert len(here) == 7 * len(years) + 10 and {k: v for k, v in _file_digests(remote).items() if k in here} == here
    # census.duckdb: the same relations; those of the curated tables (firm_revenue is Parquet only)
    # row for row (load_log and the views over it carry load times).
    ours, theirs = _relations(local), _relations(remote)
    assert ours.keys() == theirs.keys()
    compared = [n for n in CURATED if n in ours]
    assert len(compared) == len(CURATED) - 1 and all(ours[n] == theirs[n] for n in compared)
