"""Raw rows = curated rows + quarantined rows, or the year is not published."""

import pandas as pd

from pipeline.curate import reconcile_counts


def _tables(curated: list[str], quarantined: list[str]) -> dict[str, pd.DataFrame]:
    return {"firm_year": pd.DataFrame({"record_id": pd.array(curated, dtype="str")}),
            "quarantine": pd.DataFrame({"record_id": pd.array(quarantined, dtype="str")})}


def test_every_raw_row_curated_or_quarantined_once_balances():
    # A quarantined row with two failures counts once.
    counts = reconcile_counts(4, _tables(["r1", "r2", "r3"], ["r4", "r4"]))
    assert counts == {"raw": 4, "curated": 3, "quarantined": 1, "in_both": 0, "balanced": True}


def test_a_lost_row_a_row_in_both_tables_or_a_doubled_row_does_not_balance():
    assert not reconcile_counts(5, _tables(["r1", "r2", "r3"], ["r4"]))["balanced"]
    both = reconcile_counts(3, _tables(["r1", "r2", "r3"], ["r3"]))
    assert both["in_both"] == 1 and not both["balanced"]
    assert not reconcile_counts(3, _tables(["r1", "r2", "r2"], ["r3"]))["balanced"]
    assert reconcile_counts(2, _tables(["r1", "r2"], []))["balanced"]
