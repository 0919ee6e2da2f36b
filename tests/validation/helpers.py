"""Small hand-made staged years: every canonical column, the dtypes of the frame contract."""

from __future__ import annotations

import copy
import shutil

import numpy as np
import pandas as pd

from pipeline.schema import canonical_columns
from pipeline.settings import Settings, load_settings
from pipeline.stage import CHANGE_LOG_COLUMNS, PANDAS_DTYPES, QUARANTINE_COLUMNS, StagedYear
from pipeline.validation import KsicCodes
from tests.conftest import SHIPPED_CONFIG, SHIPPED_EXPECTATIONS

YEAR = 2024

# A tiny KSIC: 29294 (금형) is a KSIC-10 code that KSIC-11 numbers 29293.
KSIC = KsicCodes(
    codes={10: frozenset({"C", "29", "292", "2929", "29293", "29294", "30121"}),
           11: frozenset({"C", "29", "292", "2929", "29293", "30121", "30122"})},
    counterpart=lambda code, frm, to: {("29294", 10, 11): ("29293",)}.get((code, frm, to), ()),
)

GOOD = {
    "firm_name": "(주)시흥정밀", "brn": "1348672683", "crn": "1101110062432", "representative_name": "홍길동",
    "founded_date": pd.Timestamp("2001-05-01"), "address": "경기도 시흥시 공단1대로 1", "ksic_code": "29293",
    "employees_male": 8, "employees_female": 2, "employees_foreign": 1, "employees_total": 10,
    "revenue_mil_krw": 1000.0, "export_mil_krw": 100.0, "rnd_mil_krw": 10.0, "assets_mil_krw": 500.0,
    "customer_1_share_pct": 50.0, "customer_2_share_pct": 30.0, "customer_3_share_pct": 10.0,
    "phone": "010-1234-5678", "email": "ceo@example.kr",
}


def make_staged(rows: list[dict], year: int = YEAR, revision: int = 11) -> StagedYear:
    """A StagedYear whose rows are GOOD updated with each dict (source rows 2, 3, ...)."""
    n = len(rows)
    source_rows = np.arange(2, n + 2)
    data = {
        "record_id": [f"{year}-{r:07d}" for r in source_rows], "census_year": np.full(n, year, dtype="int64"),
        "ksic_revision": np.full(n, revision, dtype="int64"), "source_file": f"census_{year}.xlsx",
        "source_sheet": "Sheet1", "source_row": source_rows,
    }
    for name, col in canonical_columns(SHIPPED_CONFIG / "canonical_columns.yaml").items():
        values = [{**GOOD, **r}.get(name) for r in rows]
        dtype = PANDAS_DTYPES[col.type]
        if dtype == "str":
            data[name] = pd.Series(values, dtype=object).astype("str").where(pd.notna(pd.Series(values, dtype=object)))
        else:
            data[name] = pd.Series(values, dtype=object).astype(dtype) if dtype != "Int64" else pd.array(values, dtype="Int64")
    frame = pd.DataFrame(data)
    return StagedYear(
        year=year, source_file=f"census_{year}.xlsx", source_sheet="Sheet1", sha256="0" * 64, layout="test",
        raw_rows=n, frame=frame, change_log=pd.DataFrame(columns=CHANGE_LOG_COLUMNS),
        quarantine=pd.DataFrame(columns=QUARANTINE_COLUMNS),
    )


def settings_for(tmp_path) -> Settings:
    """Settings of a project in `tmp_path`/project (the shipped config and suites copied there)
    with its data folders in `tmp_path` (the KSIC reference stays shared)."""
    base = load_settings(SHIPPED_CONFIG / "settings.yaml")
    root = tmp_path / "project"
    shutil.copytree(SHIPPED_CONFIG, root / "config")
    shutil.copytree(SHIPPED_EXPECTATIONS, root / "expectations")
    raw = copy.deepcopy(base.raw)
    raw["paths"] = {**raw["paths"], "curated_dir": str(tmp_path / "curated"), "corrections_dir": str(tmp_path / "corrections"),
                    "raw_dir": str(tmp_path / "raw"), "reference_dir": str(base.reference_dir)}
    (tmp_path / "corrections").mkdir()
    return Settings(root=root, raw=raw)
