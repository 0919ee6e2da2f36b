"""config/samplegen/ksic_weights.yaml against the official KSIC files (read in place)."""

import re
import unicodedata
from functools import lru_cache

import openpyxl
import pytest

from census_sample import config
from pipeline.settings import load_settings

KSIC_DIR = load_settings().reference_dir / "ksic"
pytestmark = pytest.mark.skipif(not KSIC_DIR.is_dir(), reason="official KSIC files not available")


def norm(name: str) -> str:
    # Middle-dot variants and spacing differ between official copies (domain.md §2.1).
    s = unicodedata.normalize("NFKC", str(name))
    s = re.sub("[\u00b7\u2024\u2219\u318d\u30fb]", "·", s)
    return "".join(s.split())


@lru_cache(maxsize=2)
def subclasses(file: str) -> dict[str, str]:
    wb = openpyxl.load_workbook(KSIC_DIR / file, read_only=True)
    out = {str(r[0]).strip(): r[1] for r in wb.worksheets[0].iter_rows(values_only=True)
           if r[0] is not None and re.fullmatch(r"\d{5}", str(r[0]).strip())}
    wb.close()
    return out


@lru_cache(maxsize=1)
def old_to_new() -> set[tuple[str, str]]:
    wb = openpyxl.load_workbook(KSIC_DIR / "KSIC_11th_10th_concordance.xlsx", read_only=True)
    pairs = set()
    last = None
    for r in wb["구신연계표"].iter_rows(min_row=3, values_only=True):
        old = str(r[0]).strip() if r[0] is not None else last
        last = old
        if r[2] is not None:
            pairs.add((old, str(r[2]).strip()))
    wb.close()
    return pairs


ENTRIES = config.load("ksic_weights")["entries"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e['ksic10']}->{e['ksic11']}" for e in ENTRIES])
def test_entry_codes_and_names_are_official(entry):
    k10, k11 = subclasses("KSIC_10th.xlsx"), subclasses("KSIC_11th.xlsx")
    assert entry["ksic10"] in k10, f"{entry['ksic10']} is not a KSIC-10 subclass"
    assert entry["ksic11"] in k11, f"{entry['ksic11']} is not a KSIC-11 subclass"
    assert norm(entry["name10"]) == norm(k10[entry["ksic10"]])
    assert norm(entry["name11"]) == norm(k11[entry["ksic11"]])
    assert (entry["ksic10"], entry["ksic11"]) in old_to_new(), "pair is not a row of the official 구신연계표"


def test_entries_cover_reused_and_split_codes():
    pairs = {(e["ksic10"], e["ksic11"]) for e in ENTRIES}
    # 금형 moved from 29294 to 29293, which was 인쇄기계 in KSIC-10 (domain.md §0.2).
    assert ("29294", "29293") in pairs and ("29293", "29292") in pairs
    for split in ("20121", "28202", "30121"):
        assert len({new for old, new in pairs if old == split}) >= 2, f"{split} should split"
    assert ("30122", "30123") in pairs  # 30122 means 전기 승용차 in KSIC-11
    assert sum(e["weight"] for e in ENTRIES if "20" <= e["ksic10"][:2] <= "30") > 0.8 * sum(e["weight"] for e in ENTRIES)


def test_unknown_codes_exist_in_neither_revision():
    for code in config.load("ksic_weights")["unknown_codes"]:
        assert code not in subclasses("KSIC_10th.xlsx") and code not in subclasses("KSIC_11th.xlsx")
