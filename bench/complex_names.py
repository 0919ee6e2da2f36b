"""How many reported industrial-complex names resolve (or are honestly ambiguous).

Two sets:
  1. Real names as registers and public pages write them (tests/places/complex_names_real.csv,
     each with the KICOX complex it means, or none when the KICOX list has no such complex).
  2. Every complex of the KICOX list (../shared/reference/kicox) written the ways respondents
     write names: full name, 산단/공단 short forms with and without the type, the city in front,
     지방 for 일반, a space before the type, and parent(sub) for sub-complexes.

A name counts as right when it resolves to its complex (or to that complex's parent), or is
ambiguous with it among the candidates; it counts as wrong when it resolves to another complex,
and as unmatched when nothing is found (right for a name KICOX does not list).
Target (issue 14): >= 95 % right.

    .venv/bin/python bench/complex_names.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.classify.complex_names import name_index, resolve  # noqa: E402
from pipeline.classify.complexes import complex_catalogue  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402

TARGET = 0.95
SHORT = {"국가": "국가산단", "일반": "일반산단", "농공": "농공단지", "도시첨단": "도시첨단산단"}
FULL = {"국가": "국가산업단지", "일반": "일반산업단지", "농공": "농공단지", "도시첨단": "도시첨단산업단지"}


def load_index():
    settings = load_settings()
    kicox = settings.section("classification")["kicox_complexes"]
    catalogue, keys, cfg = complex_catalogue(settings.reference_dir / kicox["file"], kicox["sheet"],
                                             settings.config_dir / "classification" / "complexes.yaml")
    return catalogue, name_index(catalogue, keys, cfg)


def verdict(found: set[str], accepted: set[str]) -> str:
    if not accepted:
        return "right (none)" if not found else "wrong"
    if not found:
        return "unmatched"
    if found <= accepted:
        return "resolved" if len(found) == 1 else "ambiguous"
    if len(found) > 1 and found & accepted:
        return "ambiguous"
    return "wrong"


def kicox_variants(catalogue: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in catalogue.drop_duplicates("name").itertuples(index=False):
        base = r.kicox_name.split("[")[0].strip().lstrip("▷")
        cut = "(" in base
        if cut:  # printed labels such as 장안첨단(1)(외국인) are nobody's spelling
            base = base.split("(")[0]
        for ending in sorted(set(FULL.values()) | {"산업단지"}, key=len, reverse=True):
            if base.replace(" ", "").endswith(ending) and len(base.replace(" ", "")) > len(ending):
                base = base.replace(" ", "")[: -len(ending)]  # 부산명서일반산업단지 -> 부산명서
                break
        stem = r.sigungu.split()[0].rstrip("시군구") if isinstance(r.sigungu, str) else ""
        variants = {r.name, base + SHORT.get(r.type, ""), base + "산단", base + "공단", base + " " + FULL.get(r.type, "")}
        if stem and not base.startswith(stem) and len(stem) >= 2:
            variants.add(stem + base + FULL.get(r.type, ""))
        if r.type == "일반":
            variants.add(base + "지방산업단지")
        if isinstance(r.parent, str):
            variants.add(f"{r.parent.split('[')[0]}({base})")
        rows += [{"reported": v, "truth": r.name, "set": "kicox", "cut": base if cut else ""} for v in variants]
    return pd.DataFrame(rows)


def main() -> int:
    catalogue, index = load_index()
    tops = index.top
    real = pd.read_csv(REPO / "tests" / "places" / "complex_names_real.csv", dtype=str, keep_default_na=False)
    results = []
    for r in real.itertuples(index=False):
        accepted = {n for n in r.expected.split("|") if n}
        accepted |= {tops.get(n, n) for n in accepted}
        results.append({"set": "real", "reported": r.reported, "verdict": verdict(resolve(r.reported, index), accepted)})
    variants = kicox_variants(catalogue)
    same_base: dict[str, set[str]] = {}
    for kicox_name, name in zip(catalogue.kicox_name, catalogue.name, strict=True):
        same_base.setdefault(kicox_name.split("[")[0].lstrip("▷").split("(")[0].strip(), set()).add(name)
    for r in variants.itertuples(index=False):
        accepted = {r.truth, tops.get(r.truth, r.truth)}
        if r.cut:  # 미음 for 미음(외국인), 대산3 for 대산3(확장): any complex under the same parent or
            # printed with the same name before its label is what it names
            accepted |= {n for n, t in tops.items() if t == tops.get(r.truth, r.truth)}
            accepted |= same_base.get(r.cut, set())
        results.append({"set": "kicox", "reported": r.reported, "verdict": verdict(resolve(r.reported, index), accepted)})
    frame = pd.DataFrame(results)
    frame["right"] = frame["verdict"].isin(["resolved", "ambiguous", "right (none)"])
    ok = True
    for name, group in frame.groupby("set", sort=False):
        share = group["right"].mean()
        counts = ", ".join(f"{k} {v}" for k, v in group["verdict"].value_counts().items())
        print(f"{name:6s} names {len(group):5d}: right {share:.1%} ({counts})")
        ok &= share >= TARGET
        for bad in group[~group["right"]].head(int(sys.argv[1]) if len(sys.argv) > 1 else 8).itertuples():
            print(f"    ✗ {bad.reported} -> {bad.verdict}: {sorted(resolve(bad.reported, index))[:4]}")
    share = frame["right"].mean()
    print(f"all    names {len(frame):5d}: resolved or honestly ambiguous {share:.1%} (target {TARGET:.0%}) -> {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
