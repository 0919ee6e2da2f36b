"""KSIC wiring on the real Seongnam factory register, replicated to N rows: the classification of
a year (per-row revisions, multi-code cells, autocoder fallback) and the validation check that
compares reported codes with the words. Two variants: the register as published (codes, several
per cell) and without its 업종코드 column (every firm coded from 업종명).

    .venv/bin/python bench/ksic_wiring.py [--copies 200]

Runs in a throw-away project (the autocoder trains once into it, about 10-20 s, not timed).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.classify import classify_year  # noqa: E402
from pipeline.classify.multi_code import listed_codes  # noqa: E402
from pipeline.load import stage_year_file  # noqa: E402
from pipeline.settings import load_settings, make_project  # noqa: E402
from pipeline.validation import checks, validate_year  # noqa: E402
from pipeline.validation.ksic_reference import ksic_codes  # noqa: E402
from pipeline.validation.run import _text_coder  # noqa: E402

REFERENCE = (REPO.parent / "shared" / "reference").resolve()
REGISTER = REFERENCE / "registers" / "seongnam_factory_registry_2023.csv"
NAMES_ONLY_LAYOUT = REPO / "tests" / "ksic_wiring" / "seongnam_names_only.yaml"


def replicate(frame: pd.DataFrame, change_log: pd.DataFrame, copies: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The curated rows `copies` times with new record ids, and their multi-code change-log rows."""
    n = len(frame)
    out = pd.concat([frame] * copies, ignore_index=True)
    out["record_id"] = [f"2023-{i:07d}" for i in range(len(out))]
    position = dict(zip(frame["record_id"], range(n), strict=True))
    logged = change_log[(change_log["rule"] == "ksic:multiple_codes") & change_log["record_id"].isin(position)]
    logs = [logged.assign(record_id=[f"2023-{position[r] + k * n:07d}" for r in logged["record_id"]]) for k in range(copies)]
    return out, pd.concat(logs, ignore_index=True)


def measure(settings, path: Path, copies: int, label: str) -> None:
    validated = validate_year(stage_year_file(path, 2023, settings), settings)
    frame, change_log = replicate(validated.frame, validated.change_log, copies)
    classify_year(validated.frame, settings, change_log=validated.change_log)  # trains / loads the autocoder
    start = time.perf_counter()
    year = classify_year(frame, settings, change_log=change_log)
    classify_s = time.perf_counter() - start
    start = time.perf_counter()
    flagged = checks.contradiction_failures(frame, ksic_codes(settings), 10, settings.validation, _text_coder(settings),
                                            listed_codes(change_log, frame))
    check_s = time.perf_counter() - start
    fy = year.firm_year
    print(f"{label}: {len(fy):,} rows  classify_year {classify_s:.1f}s ({len(fy) / classify_s:,.0f} rows/s)  "
          f"contradiction check {check_s:.1f}s  section {fy['ksic_section'].notna().mean():.2%}  "
          f"subclass {fy['ksic_subclass'].notna().mean():.2%}  secondary {len(year.secondary):,}  "
          f"review {len(year.review):,}  contradicted {len(flagged):,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(make_project(Path(tmp) / "project", REFERENCE))
        measure(settings, REGISTER, args.copies, "register with codes")
        (settings.layouts_dir / "seongnam_factory_registry.yaml").unlink()
        shutil.copy(NAMES_ONLY_LAYOUT, settings.layouts_dir)
        settings = load_settings(settings.source)
        names_only = Path(tmp) / "seongnam_names_2023.csv"
        pd.read_csv(REGISTER, dtype=str, keep_default_na=False).drop(columns=["업종코드"]).to_csv(names_only, index=False)
        measure(settings, names_only, args.copies, "names only (업종코드 dropped)")


if __name__ == "__main__":
    main()
