"""Import of the official KSIC files into two tables.

`ksic`:             revision, level, code, parent, name_ko, name_en (one row per code)
`ksic_concordance`: from_revision, from_code, to_revision, to_code, relation, note_ko

The files are read as Statistics Korea publishes them (see config/settings.yaml `ksic:`); a new
revision is imported by naming its files there. Both tables are validated before anyone joins them
(counts per level, every child has a parent) and the import fails with the list of problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipeline.ksic.xlsx import normalise_code, read_sheet
from pipeline.settings import Settings

LEVELS = ("section", "division", "group", "class", "subclass")
# Digit codes: the level is the code length (2 division … 5 subclass).
LEVEL_OF_LENGTH = {2: "division", 3: "group", 4: "class", 5: "subclass"}
# "A 농업, 임업 및 어업(01~03)", "E 수도 …(36 ~ 39)", "D 전기 …(35)"
_SECTION_ROW = re.compile(r"^([A-Z])\s*(.+?)\s*\(\s*(\d{2})\s*(?:~\s*(\d{2})\s*)?\)$")
_SECTION_NAME_RANGE = re.compile(r"\s*\(\s*\d{2}\s*(?:~\s*\d{2}\s*)?\)$")


class KsicReferenceError(ValueError):
    """The official files do not give a complete, consistent classification."""


# eq=False: hashed by identity, so per-reference lookups can be cached.
@dataclass(frozen=True, eq=False)
class KsicReference:
    ksic: pd.DataFrame
    concordance: pd.DataFrame


def load_reference(settings: Settings) -> KsicReference:
    """Both tables for the files named in settings; read once per process (cached on the files'
    paths and modification times, so a replaced file is re-read)."""
    files = _configured_files(settings)
    stamp = tuple((str(p), p.stat().st_mtime_ns if p.is_file() else 0) for p in files)
    return _load_cached(_freeze(settings.section("ksic")), str(settings.reference_dir), stamp)


def _configured_files(settings: Settings) -> list[Path]:
    cfg = settings.section("ksic")
    if not cfg.get("revisions"):
        raise KsicReferenceError("config/settings.yaml has no ksic.revisions section")
    names = [r["names"] for r in cfg["revisions"].values()] + [r["hierarchy"]["file"] for r in cfg["revisions"].values()]
    names += [c["file"] for c in cfg.get("concordances", [])]
    return sorted({settings.reference_dir / n for n in names})


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value):
    if isinstance(value, tuple) and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value):
        return {k: _thaw(v) for k, v in value}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


@lru_cache(maxsize=4)
def _load_cached(cfg_frozen, reference_dir: str, _stamp) -> KsicReference:
    cfg = _thaw(cfg_frozen)
    ref = Path(reference_dir)
    tables = []
    for revision, spec in cfg["revisions"].items():
        revision = int(revision)
        names = read_names(ref / spec["names"], revision)
        hierarchy = read_hierarchy(ref / spec["hierarchy"]["file"], spec["hierarchy"]["sheet"], spec["hierarchy"].get("header_rows", 3), revision)
        table = combine(names, hierarchy, revision)
        validate_ksic(table, revision, spec.get("expected_counts", {}))
        tables.append(table)
    ksic = pd.concat(tables, ignore_index=True)
    concordance = pd.concat([read_concordance(ref / c["file"], c) for c in cfg.get("concordances", [])], ignore_index=True)
    validate_concordance(concordance, ksic)
    return KsicReference(ksic=ksic, concordance=concordance)


def read_names(path: Path, revision: int) -> pd.DataFrame:
    """The code/Korean/English list: section rows "A 농업…(01~03)" followed by a row holding the
    section's English name; digit codes with their names in columns 1 and 2; blank rows ignored."""
    cells = read_sheet(path)
    rows, pending_section = [], None
    for code_cell, ko, en in cells.iloc[:, :3].itertuples(index=False):
        if code_cell is None:
            continue
        section = _SECTION_ROW.match(code_cell) if ko is None else None
        if section:
            pending_section = {"code": section.group(1), "level": "section", "name_ko": section.group(2), "name_en": None,
                               "first_division": section.group(3), "last_division": section.group(4) or section.group(3)}
            rows.append(pending_section)
        elif code_cell.isdigit() and len(code_cell) in LEVEL_OF_LENGTH:
            rows.append({"code": code_cell, "level": LEVEL_OF_LENGTH[len(code_cell)], "name_ko": ko, "name_en": en})
            pending_section = None
        elif pending_section is not None and ko is None and pending_section["name_en"] is None:
            pending_section["name_en"] = code_cell  # the English row under a section row
        else:
            raise KsicReferenceError(f"{path.name}: unexpected row {code_cell!r} {ko!r} (KSIC-{revision})")
    return pd.DataFrame(rows)


def read_hierarchy(path: Path, sheet: str, header_rows: int, revision: int) -> pd.DataFrame:
    """(level, code, parent) from the wide 대-중-소-세-세세 sheet; a blank parent cell continues
    the parent of the row above (forward fill), as the official layout prints each parent once."""
    cells = read_sheet(path, sheet).iloc[header_rows:, :10].reset_index(drop=True)
    codes = cells[[0, 2, 4, 6, 8]].copy()
    codes.columns = list(LEVELS)
    codes = codes.dropna(how="all")
    # A lower-level cell on a row restarts the levels below it, so fill only parents, level by level.
    filled = codes.copy()
    for i, level in enumerate(LEVELS[:-1]):
        starts = codes[list(LEVELS[: i + 1])].notna().any(axis=1)
        filled[level] = codes[level].where(starts).ffill()
    pieces = []
    for i, level in enumerate(LEVELS):
        part = filled[[level] + ([LEVELS[i - 1]] if i else [])].dropna(subset=[level]).drop_duplicates()
        part.columns = ["code", "parent"] if i else ["code"]
        if not i:
            part["parent"] = None
        part["level"] = level
        pieces.append(part)
    out = pd.concat(pieces, ignore_index=True)
    width = {"division": 2, "group": 3, "class": 4, "subclass": 5}
    out["code"] = [c if lv == "section" else normalise_code(c, width[lv]) for c, lv in zip(out.code, out.level, strict=True)]
    out["parent"] = [p if lv in ("section", "division") else normalise_code(p, width[LEVELS[LEVELS.index(lv) - 1]])
                     for p, lv in zip(out.parent, out.level, strict=True)]
    return out


def combine(names: pd.DataFrame, hierarchy: pd.DataFrame, revision: int) -> pd.DataFrame:
    """One row per code: parents from the hierarchy sheet, names from the names file. The two
    official files must list the same codes; a difference means a wrong or partial download."""
    problems = []
    only_names = sorted(set(names.code) - set(hierarchy.code))
    only_hier = sorted(set(hierarchy.code) - set(names.code))
    if only_names or only_hier:
        problems.append(f"codes only in the names file: {only_names[:10]}; only in the hierarchy sheet: {only_hier[:10]}")
    # The names file prints each section's division range ("C 제조업(10~34)"); the hierarchy
    # sheet's section of every division must agree with it.
    sections = names[names.level == "section"]
    ranges = {r.code: (r.first_division, r.last_division) for r in sections.itertuples()} if len(sections) else {}
    divisions = hierarchy[hierarchy.level == "division"]
    wrong = [c for c, p in zip(divisions.code, divisions.parent, strict=True)
             if p not in ranges or not ranges[p][0] <= c <= ranges[p][1]]
    if wrong:
        problems.append(f"divisions outside their section's range: {wrong[:10]}")
    many_parents = hierarchy.groupby("code").parent.nunique()
    if (many_parents > 1).any():
        problems.append(f"codes with several parents: {list(many_parents[many_parents > 1].index[:10])}")
    if problems:
        raise KsicReferenceError(f"KSIC-{revision}: " + "; ".join(problems))
    parents = hierarchy.drop_duplicates("code").set_index("code").parent
    table = names.assign(revision=revision, parent=names.code.map(parents))[["code", "level", "name_ko", "name_en", "revision", "parent"]]
    table["name_ko"] = table.name_ko.str.replace(_SECTION_NAME_RANGE, "", regex=True)
    table["parent"] = table.parent.astype(object).where(table.parent.notna(), None)
    return table[["revision", "level", "code", "parent", "name_ko", "name_en"]]


def validate_ksic(table: pd.DataFrame, revision: int, expected: dict[str, int]) -> None:
    """Counts per level as published, every child's parent exists one level up, and digit codes
    nest (0111 under 011)."""
    problems = []
    counts = table.level.value_counts()
    for level, n in expected.items():
        if int(counts.get(level, 0)) != int(n):
            problems.append(f"{level}: {int(counts.get(level, 0))} codes, expected {n}")
    level_of = dict(zip(table.code, table.level, strict=True))
    for code, level, parent in table[["code", "level", "parent"]].itertuples(index=False):
        if level == "section":
            continue
        want = LEVELS[LEVELS.index(level) - 1]
        if parent is None or level_of.get(parent) != want:
            problems.append(f"{code} ({level}) has no {want} parent (found {parent!r})")
        elif level != "division" and not code.startswith(parent):
            problems.append(f"{code} does not nest under its parent {parent}")
    if table.code.duplicated().any():
        problems.append(f"duplicated codes: {sorted(table.code[table.code.duplicated()])[:10]}")
    if problems:
        raise KsicReferenceError(f"KSIC-{revision} 참조표 검증 실패 / reference check failed: " + "; ".join(problems[:20]))


def read_concordance(path: Path, spec: dict) -> pd.DataFrame:
    """One 연계표 sheet as (from, to) subclass pairs. A blank from-code continues the row above;
    codes stored as numbers get their leading zeros back. The relation comes from the structure
    (a code with several targets is a split, a target with several sources a merge) because the
    official remark column is incomplete (e.g. the 9<->10 sheets carry link numbers only)."""
    cells = read_sheet(path, spec["sheet"]).iloc[spec.get("header_rows", 2):].reset_index(drop=True)
    pairs = pd.DataFrame({
        "from_code": cells[spec["from_code"]].map(normalise_code).ffill(),
        "to_code": cells[spec["to_code"]].map(normalise_code),
        "note_ko": cells[spec["note"]] if spec.get("note") is not None and spec["note"] in cells else None,
    }).dropna(subset=["from_code", "to_code"]).drop_duplicates(["from_code", "to_code"])
    pairs.insert(0, "from_revision", int(spec["from_revision"]))
    pairs.insert(2, "to_revision", int(spec["to_revision"]))
    targets = pairs.groupby("from_code").to_code.transform("nunique")
    sources = pairs.groupby("to_code").from_code.transform("nunique")
    renamed = pairs.note_ko.fillna("").str.contains("명칭변경")
    pairs["relation"] = "1:1"
    pairs.loc[renamed, "relation"] = "renamed"
    pairs.loc[sources > 1, "relation"] = "merge"
    pairs.loc[targets > 1, "relation"] = "split"
    return pairs[["from_revision", "from_code", "to_revision", "to_code", "relation", "note_ko"]].reset_index(drop=True)


def validate_concordance(concordance: pd.DataFrame, ksic: pd.DataFrame) -> None:
    """Every code of an imported revision that the concordance names must be a subclass of it, and
    every subclass of a revision that has a concordance must appear in it (no orphans)."""
    subclasses = {r: set(g.code) for r, g in ksic[ksic.level == "subclass"].groupby("revision")}
    problems = []
    for (rev_from, rev_to), part in concordance.groupby(["from_revision", "to_revision"]):
        for rev, codes in ((rev_from, set(part.from_code)), (rev_to, set(part.to_code))):
            if rev in subclasses:
                unknown = sorted(codes - subclasses[rev])
                if unknown:
                    problems.append(f"{rev_from}->{rev_to}: codes not in KSIC-{rev}: {unknown[:10]}")
        if rev_from in subclasses:
            missing = sorted(subclasses[rev_from] - set(part.from_code))
            if missing:
                problems.append(f"{rev_from}->{rev_to}: KSIC-{rev_from} subclasses missing: {missing[:10]}")
    if problems:
        raise KsicReferenceError("연계표 검증 실패 / concordance check failed: " + "; ".join(problems))
