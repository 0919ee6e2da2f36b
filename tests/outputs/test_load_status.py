"""The load status of every year, as the director and the analyst see it: the all-years job's
`load_status` asset (a table in the UI) and the view of the same name in census.duckdb."""

from __future__ import annotations

import dagster as dg
import duckdb
import pandas as pd

from assets.definitions import build_definitions
from assets.jobs import ALL_YEARS_JOB
from pipeline import storage
from tests.tables import complete_table


def _log(year, at, status, file, read=None, curated=None, quarantined=None, flagged=None, message=""):
    return {"census_year": year, "loaded_at": pd.Timestamp(at), "status": status, "source_file": file, "sha256": file[:8],
            "rows_read": read, "rows_curated": curated, "rows_quarantined": quarantined, "rows_flagged": flagged,
            "message": message}


def _write_two_years(settings) -> None:
    logs = {
        # 2023: a file that failed, then the corrected file loaded, then reclassified (the 2022
        # revenue changed): the reclassification is the load in place, the old failure is history.
        2023: [_log(2023, "2026-10-01 09:00", "failed", "기업실태조사_2023.xlsx", message="시트 없음"),
               _log(2023, "2026-10-02 09:00", "loaded", "기업실태조사_2023_수정.xlsx", 3635, 3600, 35, 120),
               _log(2023, "2026-10-05 09:00", "reclassified", "기업실태조사_2023_수정.xlsx", 3635, 3600, 35, 118)],
        # 2024: loaded, then a new delivery that failed: the year keeps its tables, and says so.
        2024: [_log(2024, "2026-11-01 10:30", "loaded", "기업실태조사_2024.xlsx", 3710, 3702, 8, 64),
               _log(2024, "2026-11-20 14:00", "failed", "기업실태조사_2024_v2.xlsx", message="행 수 불일치")],
    }
    for year, rows in logs.items():
        frame = pd.DataFrame(rows).astype({c: "Int64" for c in ("rows_read", "rows_curated", "rows_quarantined", "rows_flagged")})
        storage.write_year(settings, year, {"load_log": complete_table(settings, "load_log", frame)})


EXPECTED = [
    {"census_year": 2023, "source_file": "기업실태조사_2023_수정.xlsx", "status": "reclassified", "rows_read": 3635,
     "rows_curated": 3600, "rows_quarantined": 35, "rows_flagged": 118, "loaded_at": "2026-10-05 09:00:00", "message": ""},
    {"census_year": 2024, "source_file": "기업실태조사_2024.xlsx", "status": "loaded", "rows_read": 3710,
     "rows_curated": 3702, "rows_quarantined": 8, "rows_flagged": 64, "loaded_at": "2026-11-01 10:30:00", "message": ""},
    {"census_year": 2024, "source_file": "기업실태조사_2024_v2.xlsx", "status": "failed", "rows_read": None,
     "rows_curated": None, "rows_quarantined": None, "rows_flagged": None, "loaded_at": "2026-11-20 14:00:00",
     "message": "행 수 불일치"},
]


def test_all_years_job_shows_the_load_status_table(project):
    _write_two_years(project)
    defs = build_definitions(project)
    assert "load_status" in {k.to_user_string() for k in defs.resolve_job_def(ALL_YEARS_JOB).asset_layer.executable_asset_keys}
    result = dg.materialize(list(defs.assets), selection=["load_status"], resources=defs.resources,
                            instance=dg.DagsterInstance.ephemeral())
    meta = result.asset_materializations_for_node("load_status")[0].metadata
    table = meta["load_status"]
    assert [r.data for r in table.records] == EXPECTED
    described = {c.name: c.description for c in table.schema.columns}
    assert described["rows_quarantined"] == "격리 행 / Rows quarantined" and described["census_year"].startswith("조사연도")
    assert meta["years_loaded"].value == [2023, 2024] and meta["years_with_failed_load"].value == [2024]


def test_view_gives_the_same_rows_in_the_database(project):
    _write_two_years(project)
    storage.build_query_database(project)
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        rows = con.execute("SELECT census_year, source_file, status, rows_curated, rows_flagged FROM load_status").fetchall()
        comment = con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'load_status'").fetchone()[0]
    assert rows == [(e["census_year"], e["source_file"], e["status"], e["rows_curated"], e["rows_flagged"]) for e in EXPECTED]
    assert comment.startswith("연도별 적재 현황")


def test_a_project_with_nothing_loaded_has_an_empty_status(project):
    defs = build_definitions(project)
    result = dg.materialize(list(defs.assets), selection=["load_status"], resources=defs.resources,
                            instance=dg.DagsterInstance.ephemeral())
    meta = result.asset_materializations_for_node("load_status")[0].metadata
    assert meta["load_status"].records == [] and meta["years_loaded"].value == []
