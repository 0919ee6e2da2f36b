"""A delivery that merges 업종명 down blocks of firms: every firm gets its block's value, every
filled cell is in the change log, and thousands of blocks cost no more than a few."""

from __future__ import annotations

import time

import openpyxl

from pipeline.load import stage_year_file
from tests.robustness import bad_deliveries as bad

BLOCK = 3


def test_two_thousand_merged_blocks_are_all_filled_and_logged(project):
    rows = [list(r) for r in bad.firms() * 750]  # 6,000 firms
    for i, row in enumerate(rows):
        row[bad.col("사업체명")] = f"기업{i:04d}"
        row[bad.col("업종명")] = f"업종{i // BLOCK}" if i % BLOCK == 0 else None
    letter = openpyxl.utils.get_column_letter(bad.col("업종명") + 1)

    def merge(ws):
        for block in range(len(rows) // BLOCK):
            top = 3 + block * BLOCK  # title row, header row, then firms from row 3
            ws.merge_cells(f"{letter}{top}:{letter}{top + BLOCK - 1}")

    path = bad.xlsx(project.raw_dir / "2024_blocks.xlsx", rows=rows, edit=merge)
    started = time.perf_counter()
    staged = stage_year_file(path, 2024, project)
    elapsed = time.perf_counter() - started
    frame = staged.frame.sort_values("source_row")
    assert frame["industry_name"].notna().all()
    assert list(frame["industry_name"].iloc[:7]) == ["업종0"] * 3 + ["업종1"] * 3 + ["업종2"]
    log = staged.change_log[staged.change_log["rule"] == "merged:filled"]
    assert len(log) == len(rows) - len(rows) // BLOCK  # every cell but each block's first
    assert set(log["column"]) == {"industry_name"}
    assert elapsed < 30, f"{elapsed:.1f} s"
