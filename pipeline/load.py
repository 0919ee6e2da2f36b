"""Loading one census year: the steps the CLI and the Dagster assets share."""

from __future__ import annotations

import hashlib
import platform
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipeline import __version__
from pipeline.layouts import load_layouts
from pipeline.read import DeliveryError, RawTable, read_delivery
from pipeline.settings import Settings
from pipeline.stage import StagedYear, stage
from pipeline.storage import read_table, write_table
from pipeline.warmup import preparing_meanwhile

LOAD_LOG_COLUMNS = [
    "loaded_at", "census_year", "source_file", "sha256", "layout", "status", "message",
    "rows_read", "rows_curated", "rows_quarantined", "blank_rows", "pipeline_version", "config_fingerprint", "host",
]


def raw_file_for_year(settings: Settings, year: int) -> Path:
    files = settings.raw_files()
    if year not in files:
        raise DeliveryError(f"{year}", f"{settings.raw_dir}에 {year}년 파일이 없습니다", f"no file for {year} in {settings.raw_dir}")
    return files[year]


def read_year_file(path: Path, settings: Settings) -> RawTable:
    load = settings.load
    split_mb = load.parallel_read_min_mb
    with preparing_meanwhile(settings) as start_preparing:
        return read_delivery(path, load_layouts(settings.layouts_dir, settings.columns_path), scan_rows=load.header_scan_rows,
                             min_match=load.min_layout_match,
                             split_min_bytes=int(split_mb * 2**20) if split_mb else None, while_parsing=start_preparing)


def stage_year_file(path: Path, year: int, settings: Settings) -> StagedYear:
    raw = read_year_file(path, settings)
    revision = raw.layout.ksic_revision or settings.ksic_revision_for_year(year)
    return stage(raw, year, revision, settings.columns_path)


def config_fingerprint(settings: Settings) -> str:
    """Changes when anything that shapes the curated output changes: code version, config,
    suites. A rerun of an unchanged file under the same fingerprint changes nothing."""
    h = hashlib.sha256(__version__.encode())
    for folder in (settings.config_dir, settings.expectations_dir, settings.corrections_dir):
        if folder.exists():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                h.update(str(path.relative_to(folder)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


def last_good_load(settings: Settings, year: int) -> dict | None:
    log = read_table(settings, "load_log")
    if log.empty:
        return None
    ok = log[(log["census_year"] == year) & (log["status"].isin(["loaded", "unchanged"]))]
    return None if ok.empty else ok.sort_values("loaded_at").iloc[-1].to_dict()


def is_unchanged(settings: Settings, year: int, sha256: str) -> bool:
    last = last_good_load(settings, year)
    return bool(last and last["sha256"] == sha256 and last["config_fingerprint"] == config_fingerprint(settings))


def append_load_log(settings: Settings, **entry) -> dict:
    row = {c: entry.get(c) for c in LOAD_LOG_COLUMNS}
    row.update(loaded_at=datetime.now(UTC).replace(tzinfo=None), pipeline_version=__version__,
               config_fingerprint=config_fingerprint(settings), host=platform.node())
    log = read_table(settings, "load_log")
    new = pd.DataFrame([row], columns=LOAD_LOG_COLUMNS)
    write_table(settings, "load_log", pd.concat([log, new], ignore_index=True) if not log.empty else new)
    return row
