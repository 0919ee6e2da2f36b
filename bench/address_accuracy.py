"""Accuracy of the address parser (시도, 시군구, 읍면동) on addresses labelled by hand.

tests/places/address_labels_seongnam.csv: the 912 distinct addresses of the real 성남시 공장등록현황
register (../shared/reference/registers/), 344 road-name and 568 지번 forms, each labelled with the
시도, 시군구 and 읍면동 it states. A road-name address in a 동 area states no 읍면동 unless it has
a 참고항목, so its label is empty: the parser must not invent one. A 지번 address written with a
행정동 (태평1동) is labelled as written. Target (issue 14): >= 99.5 % of addresses with all three right.

    .venv/bin/python bench/address_accuracy.py [LABELS.csv ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.classify.address import address_columns, sido_aliases  # noqa: E402

DEFAULT = [REPO / "tests" / "places" / "address_labels_seongnam.csv"]
TARGET = 0.995


def accuracy(labels: pd.DataFrame) -> pd.DataFrame:
    """The labels with the parser's answer and whether each part is right."""
    sido_of = sido_aliases(REPO / "config" / "classification" / "address.yaml")
    parsed = address_columns(labels["address"], sido_of)
    out = labels.copy()
    for part, column in (("sido", "addr_sido"), ("sigungu", "addr_sigungu"), ("emd", "addr_emd")):
        out[f"got_{part}"] = parsed[column].fillna("").astype(str).to_numpy()
        out[f"{part}_ok"] = out[f"got_{part}"] == out[part].fillna("")
    out["all_ok"] = out["sido_ok"] & out["sigungu_ok"] & out["emd_ok"]
    return out


def main(paths: list[Path]) -> int:
    labels = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths], ignore_index=True)
    result = accuracy(labels)
    share = result["all_ok"].mean()
    print(f"labelled addresses: {len(result)} ({', '.join(f'{k} {v}' for k, v in result['form'].value_counts().items())})")
    for part in ("sido", "sigungu", "emd"):
        print(f"  {part:8s} {result[f'{part}_ok'].mean():.2%}")
    for form, group in result.groupby("form"):
        print(f"  {form:8s} all three right: {group['all_ok'].mean():.2%} of {len(group)}")
    print(f"시도/시군구/읍면동 all right: {share:.2%} (target {TARGET:.1%}) -> {'PASS' if share >= TARGET else 'FAIL'}")
    wrong = result[~result["all_ok"]]
    for row in wrong.head(20).itertuples():
        print(f"  ✗ {row.address!r}: got ({row.got_sido}, {row.got_sigungu}, {row.got_emd}), labelled ({row.sido}, {row.sigungu}, {row.emd})")
    return 0 if share >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main([Path(p) for p in sys.argv[1:]] or DEFAULT))
