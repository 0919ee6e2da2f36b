"""Loading one census year: the steps the CLI, the benchmark and the Dagster assets share, as
functions over tables keyed by record_id (no Dagster here)."""

from __future__ import annotations

import hashlib
import platform
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipeline import __version__
from pipeline.config import config_label
from pipeline.layouts import load_layouts
from pipeline.read import DeliveryError, RawTable, read_delivery
from pipeline.read.limits import ReadLimits
from pipeline.settings import Settings
from pipeline.stage import StagedYear, stage
from pipeline.storage import read_table, write_year


def raw_file_for_year(settings: Settings, year: int) -> Path:
    files = settings.raw_files()
    if year not in files:
        raise DeliveryError(f"{year}", f"{settings.raw_dir}에 {year}년 파일이 없습니다", f"no file for {year} in {settings.raw_dir}")
    return files[year]


def read_year_file(path: Path, settings: Settings, while_parsing=None) -> RawTable:
    load = settings.load
    split_mb = load.parallel_read_min_mb
    return read_delivery(path, load_layouts(settings.layouts_dir, settings.columns_path), scan_rows=load.header_scan_rows,
                         min_match=load.min_layout_match,
                         split_min_bytes=int(split_mb * 2**20) if split_mb else None, while_parsing=while_parsing,
                         limits=ReadLimits.from_load_section(settings.section("load"), config_label(settings.config_path("settings.yaml"))))


def stage_year_file(path: Path, year: int, settings: Settings, while_parsing=None) -> StagedYear:
    raw = read_year_file(path, settings, while_parsing)
    revision = raw.layout.ksic_revision or settings.ksic_revision_for_year(year)
    return stage(raw, year, revision, settings.columns_path)


def delivery_row(staged: StagedYear) -> pd.DataFrame:
    """staged_delivery: what the reader found in the year's file (one row)."""
    return pd.DataFrame([{
        "census_year": staged.year, "source_file": staged.source_file, "source_sheet": staged.source_sheet,
        "sha256": staged.sha256, "format": staged.format, "layout": staged.layout,
        "ksic_revision": int(staged.frame["ksic_revision"].iloc[0]) if len(staged.frame) else None,
        "rows_read": staged.raw_rows, "blank_rows": staged.blank_rows, "ignored_headers": ", ".join(staged.ignored_headers),
    }])


def staged_from_tables(rows: pd.DataFrame, quarantine: pd.DataFrame, changes: pd.DataFrame, delivery: pd.DataFrame) -> StagedYear:
    """The staged year as validation takes it, from the staging tables."""
    d = delivery.iloc[0]
    return StagedYear(
        year=int(d["census_year"]), source_file=str(d["source_file"]), source_sheet=str(d["source_sheet"]),
        sha256=str(d["sha256"]), layout=str(d["layout"]), raw_rows=int(d["rows_read"]),
        frame=rows.reset_index(drop=True), change_log=changes, quarantine=quarantine,
        blank_rows=int(d["blank_rows"]), format=str(d["format"]),
        ignored_headers=[h for h in str(d["ignored_headers"] or "").split(", ") if h],
    )


def config_fingerprint(settings: Settings) -> str:
    """Changes when anything that shapes the curated output changes: code version, config,
    suites, corrections. The code version of the yearly assets, and half of the one decision
    whether a year must be loaded again (pipeline.freshness)."""
    h = hashlib.sha256(__version__.encode())
    for folder in (settings.config_dir, settings.expectations_dir, settings.corrections_dir):
        if folder.exists():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                h.update(str(path.relative_to(folder)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


def load_log_row(settings: Settings, year: int, status: str, **entry) -> pd.DataFrame:
    """One load_log row (integer counts; empty where unknown)."""
    row = {"census_year": year, "loaded_at": datetime.now(UTC).replace(tzinfo=None), "status": status,
           "pipeline_version": __version__, "config_fingerprint": config_fingerprint(settings), "host": platform.node(),
           "message": "", **entry}
    frame = pd.DataFrame([row])
    for column in ("rows_read", "rows_curated", "rows_quarantined", "rows_flagged", "blank_rows"):
        frame[column] = pd.array([row.get(column)], dtype="Int64")
    for column in ("source_file", "sha256", "layout"):
        frame[column] = pd.array([row.get(column)], dtype="str")
    return frame


def with_history(settings: Settings, year: int, row: pd.DataFrame) -> pd.DataFrame:
    """The year's load_log partition: its earlier loads and `row`."""
    earlier = read_table(settings, "load_log", year)
    return pd.concat([earlier, row], ignore_index=True) if len(earlier) else row


def record_failed_load(settings: Settings, year: int, file: str, message: str, sha256: str | None = None) -> None:
    """A failed load cannot be a step's output (the step failed): it is appended to the year's
    load_log partition directly, so the log shows every attempt, failures included."""
    row = load_log_row(settings, year, "failed", source_file=file, sha256=sha256, message=message)
    write_year(settings, year, {"load_log": with_history(settings, year, row)})


def last_good_load(settings: Settings, year: int) -> dict | None:
    log = read_table(settings, "load_log", year)
    if log.empty:
        return None
    ok = log[log["status"].isin(["loaded", "reclassified"])]
    return None if ok.empty else ok.sort_values("loaded_at").iloc[-1].to_dict()
