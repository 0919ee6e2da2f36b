"""How long validation of a synthetic million-row census year takes, part by part.

    .venv/bin/python bench/validation_1m.py [rows]

Rows: distinct valid BRNs (check digits computed), 1% typos, 0.5% masked, 0.2% negative
employees, 1% KSIC-10 codes in an 11th-revision year, 0.1% duplicates; the official KSIC tables.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.identifiers import BRN_WEIGHTS, brn_status
from pipeline.names import load_name_rules
from pipeline.schema import canonical_columns
from pipeline.settings import load_settings
from pipeline.stage import CHANGE_LOG_COLUMNS, PANDAS_DTYPES, QUARANTINE_COLUMNS, StagedYear
from pipeline.validation import checks, load_suite, reconcile, validate_year
from pipeline.validation.ksic_reference import ksic_codes
from pipeline.validation.report import write_validation_report
from pipeline.validation.suites import run_suite


def synthetic(n: int, rng: np.random.Generator, columns: Path) -> StagedYear:
    year = 2024
    kind = rng.choice([1, 5, 81, 86, 87, 88], n)
    # distinct (office, serial) pairs so that the generated BRNs are distinct up to ~9M rows
    serial = np.arange(n) % 9999 + 1
    office = (np.arange(n) // 9999) % 898 + 101
    digits = np.stack([office // 100, office // 10 % 10, office % 10, kind // 10, kind % 10,
                       serial // 1000, serial // 100 % 10, serial // 10 % 10, serial % 10], axis=1)
    total = (digits * BRN_WEIGHTS).sum(axis=1) + (5 * digits[:, 8]) // 10
    check = (10 - total % 10) % 10
    brn = np.char.add(np.char.zfill(office.astype(str), 3), np.char.zfill(kind.astype(str), 2))
    brn = np.char.add(np.char.add(brn, np.char.zfill(serial.astype(str), 4)), check.astype(str)).astype(object)
    typo = rng.random(n) < 0.01
    brn[typo] = [b[:9] + str((int(b[9]) + 1) % 10) for b in brn[typo]]
    masked = rng.random(n) < 0.005
    brn[masked] = [b[:6] + "****" for b in brn[masked]]
    dup = rng.choice(n, n // 1000, replace=False)
    brn[dup[1:]] = brn[dup[:-1]]
    male = rng.integers(0, 300, n)
    female = rng.integers(0, 100, n)
    male[rng.random(n) < 0.002] = -1
    ksic = rng.choice(["29293", "25911", "30121", "26291", "10111"], n).astype(object)
    ksic[rng.random(n) < 0.01] = "29294"  # KSIC-10 금형 in an 11th-revision year
    revenue = rng.gamma(2, 5000, n)
    data = {
        "record_id": np.char.add(f"{year}-", np.char.zfill(np.arange(2, n + 2).astype(str), 7)),
        "census_year": np.full(n, year), "ksic_revision": np.full(n, 11), "source_file": "census_2024.xlsx",
        "source_sheet": "Sheet1", "source_row": np.arange(2, n + 2),
        "firm_name": np.char.add("업체", np.arange(n).astype(str)), "brn": brn,
        "crn": np.where(np.isin(kind, [81, 86, 87, 88]), "1101110062432", None),
        "founded_date": pd.to_datetime(rng.integers(0, 18000, n), unit="D", origin="1975-01-01"),
        "address": "경기도 시흥시", "ksic_code": ksic,
        "employees_male": male, "employees_female": female, "employees_foreign": rng.integers(0, 20, n),
        "employees_total": male + female, "revenue_mil_krw": revenue, "export_mil_krw": revenue * rng.random(n) * 0.5,
        "rnd_mil_krw": revenue * 0.02, "assets_mil_krw": revenue * 1.5,
        "customer_1_share_pct": rng.uniform(0, 60, n), "customer_2_share_pct": rng.uniform(0, 30, n),
        "customer_3_share_pct": rng.uniform(0, 10, n),
    }
    frame = pd.DataFrame({k: v for k, v in data.items()})
    for name, col in canonical_columns(columns).items():
        dtype = PANDAS_DTYPES[col.type]
        frame[name] = frame[name].astype(dtype) if name in frame else pd.Series([None] * n, dtype=object).astype(dtype)
    return StagedYear(year=year, source_file="census_2024.xlsx", source_sheet="Sheet1", sha256="0" * 64, layout="bench",
                      raw_rows=n, frame=frame, change_log=pd.DataFrame(columns=CHANGE_LOG_COLUMNS),
                      quarantine=pd.DataFrame(columns=QUARANTINE_COLUMNS))


def timed(label, fn):
    # CPU time beside wall time: on a shared machine the wall clock also measures the neighbours.
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    print(f"{label:<36} {time.perf_counter() - t:6.2f} s wall {time.process_time() - c:6.2f} s cpu")
    return out


def main(n: int) -> None:
    rng = np.random.default_rng(7)
    settings = load_settings()
    staged = timed(f"build {n:,} synthetic rows", lambda: synthetic(n, rng, settings.columns_path))
    config = settings.validation
    timed("import great_expectations (once)", lambda: __import__("great_expectations"))
    ksic = timed("KSIC reference (pipeline.ksic)", lambda: ksic_codes(settings))
    frame = staged.frame
    timed("  brn_status", lambda: brn_status(frame["brn"]))
    timed("  identifier rules", lambda: checks.identifier_failures(frame, config))
    timed("  KSIC revision rule", lambda: checks.ksic_failures(frame, ksic, 11, config))
    timed("  range rules", lambda: checks.range_failures(frame, config))
    timed("  duplicate rules", lambda: checks.duplicate_failures(frame, config, load_name_rules(settings.config_path("company_aliases.yaml"))))
    params = {"reference_date": settings.reference_date(2024), "min_founded_date": pd.Timestamp("1900-01-01"),
              "ksic_codes_any_revision": ksic.any_revision()}
    timed("  GX staged suite (19 expectations)", lambda: run_suite(load_suite(config.suites["staged"], settings.expectations_dir), frame, params))
    with tempfile.TemporaryDirectory() as tmp:
        import copy

        from pipeline.settings import Settings
        raw = copy.deepcopy(settings.raw)
        raw["paths"] = {**raw["paths"], "corrections_dir": tmp, "curated_dir": tmp, "reference_dir": str(settings.reference_dir)}
        tmp_settings = Settings(root=settings.root, raw=raw)
        validated = timed("validate_year (everything)", lambda: validate_year(staged, tmp_settings, ksic=ksic))
        timed("write_validation_report", lambda: write_validation_report(validated, tmp_settings))
    s = validated.summary
    print(f"curated {s['curated_rows']:,}  quarantined {s['quarantined_rows']:,}  flagged {s['flagged_rows']:,}  "
          f"reconciled {reconcile(staged, validated)['ok']}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
