"""Reading the KSIC text files (../shared/reference/ksic_text and the 9->10 연계표) into what the
autocoder learns from: the KSIC-11 subclasses with every parent level, labelled training texts,
and the industry names of revisions 9, 10 and 11 mapped to KSIC-11 subclasses.

The files are read as published (JSON from the classification portal, the 9th list as gzipped CSV,
the official 9<->10 workbook) and never copied into the project.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.ksic.autocode.config import AutocodeConfig
from pipeline.ksic.reference import read_concordance

# "·주형 및 금형 제조(29293)": an exclusion naming the code where the activity belongs.
_EXCLUSION = re.compile(r"^·?(.*?)\s*\((\d{4,5})\)\s*$")


class AutocodeSourceError(ValueError):
    """A KSIC text file is missing or not in the published shape."""


@dataclass(frozen=True)
class KsicText:
    subclasses: pd.DataFrame   # code, name_ko, name_en, section, division, group, class
    training: pd.DataFrame     # text, code, origin
    names: pd.DataFrame        # name, code, revision (9, 10, 11): names usable for exact matching
    links_10_11: pd.DataFrame  # old, new


def reference_files(reference_dir: Path, config: AutocodeConfig) -> list[Path]:
    f = config.files
    return [reference_dir / p for p in (f.index, f.descriptions, f.tree, f.links_10_11, f.names_9, f.links_9_10.file)]


def _json(path: Path):
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError as exc:
        raise AutocodeSourceError(f"KSIC 텍스트 파일이 없습니다 / KSIC text file not found: {path}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AutocodeSourceError(f"KSIC 텍스트 파일을 읽을 수 없습니다 / cannot read KSIC text file {path}: {exc}") from exc


def read_subclasses(path: Path) -> pd.DataFrame:
    """KSIC-11 subclasses with their section, division, group and class (from ksic-tree.json)."""
    tree = pd.DataFrame(_json(path))
    if not {"code", "name", "level", "parent"} <= set(tree.columns):
        raise AutocodeSourceError(f"{path.name}: expected keys code, name, level, parent")
    parent = dict(zip(tree.code, tree.parent, strict=True))
    sub = tree[tree.level == 5][["code", "name"]].rename(columns={"name": "name_ko"}).reset_index(drop=True)
    chain = {"class": [], "group": [], "division": [], "section": []}
    for code in sub.code:
        node = code
        for level in chain:
            node = parent.get(node)
            chain[level].append(node)
    for level, values in chain.items():
        sub[level] = values
    return sub


def read_descriptions(path: Path, classes: dict[str, list[str]]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Training texts from the subclass descriptions: the definition, each [예시] example, and each
    [제외] exclusion labelled with the code it names (when that code is a subclass, or a class with
    a single subclass). Also returns the English title of each subclass."""
    desc = _json(path)
    rows, english = [], {}
    for code, entry in desc.items():
        english[code] = entry.get("e") or ""
        section = "definition"
        for line in (entry.get("d") or "").split("\n"):
            line = line.strip()
            if line in ("[예시]", "[제외]"):
                section = line
                continue
            if not line:
                continue
            if section == "[제외]":
                m = _EXCLUSION.match(line)
                if not m:
                    continue
                target = m.group(2)
                target = target if len(target) == 5 else (classes.get(target, [None, None])[0] if len(classes.get(target, [])) == 1 else None)
                if target:
                    rows.append((m.group(1), target, "exclusion"))
            else:
                rows.append((line.lstrip("·"), code, "example" if section == "[예시]" else "definition"))
        if english[code]:
            rows.append((english[code], code, "english"))
    return pd.DataFrame(rows, columns=["text", "code", "origin"]), english


def read_index(path: Path) -> pd.DataFrame:
    index = pd.DataFrame(_json(path))
    if not {"code", "term"} <= set(index.columns):
        raise AutocodeSourceError(f"{path.name}: expected keys code, term, itemName")
    return pd.DataFrame({"text": index.term, "code": index.code, "origin": "index"})


def read_links_10_11(path: Path) -> pd.DataFrame:
    links = pd.DataFrame(_json(path))
    if not {"new", "old", "oldName"} <= set(links.columns):
        raise AutocodeSourceError(f"{path.name}: expected keys new, old, oldName")
    return links.rename(columns={"oldName": "old_name"})[["old", "new", "old_name"]]


def read_names_9(path: Path) -> pd.DataFrame:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            table = pd.read_csv(fh, dtype=str)
    except (FileNotFoundError, OSError, UnicodeDecodeError) as exc:
        raise AutocodeSourceError(f"KSIC-9 목록을 읽을 수 없습니다 / cannot read the KSIC-9 list {path}: {exc}") from exc
    table.columns = ["code", "name"]
    return table[table.code.str.len() == 5]


def _names_9_to_11(names_9: pd.DataFrame, links_9_10: pd.DataFrame, links_10_11: pd.DataFrame) -> pd.DataFrame:
    """KSIC-9 subclass names with every KSIC-11 subclass they reach through 9->10->11."""
    step = links_9_10[["from_code", "to_code"]].rename(columns={"from_code": "code", "to_code": "old"})
    reach = names_9.merge(step, on="code").merge(links_10_11[["old", "new"]], on="old")
    return pd.DataFrame({"name": reach.name, "code": reach.new, "revision": 9}).drop_duplicates()


def read_ksic_text(reference_dir: Path, config: AutocodeConfig) -> KsicText:
    f = config.files
    subclasses = read_subclasses(reference_dir / f.tree)
    classes: dict[str, list[str]] = subclasses.groupby("class").code.apply(list).to_dict()
    described, english = read_descriptions(reference_dir / f.descriptions, classes)
    subclasses["name_en"] = subclasses.code.map(english).fillna("")
    links = read_links_10_11(reference_dir / f.links_10_11)
    spec = f.links_9_10
    try:
        links_9_10 = read_concordance(reference_dir / spec.file, {"sheet": spec.sheet, "header_rows": spec.header_rows,
                                                                  "from_code": spec.from_code, "to_code": spec.to_code,
                                                                  "from_revision": 9, "to_revision": 10})
    except (FileNotFoundError, KeyError, ValueError) as exc:
        raise AutocodeSourceError(f"9->10 연계표를 읽을 수 없습니다 / cannot read the 9->10 concordance {spec.file}: {exc}") from exc
    names = pd.concat([
        pd.DataFrame({"name": subclasses.name_ko, "code": subclasses.code, "revision": 11}),
        pd.DataFrame({"name": links.old_name, "code": links.new, "revision": 10}),
        _names_9_to_11(read_names_9(reference_dir / f.names_9), links_9_10, links),
    ], ignore_index=True)
    known = set(subclasses.code)
    training = pd.concat([
        read_index(reference_dir / f.index),
        pd.DataFrame({"text": subclasses.name_ko, "code": subclasses.code, "origin": "name"}),
        # A KSIC-10 name is how registers still write the industry; it teaches the model the new code.
        pd.DataFrame({"text": links.old_name, "code": links.new, "origin": "ksic10_name"}),
        described,
    ], ignore_index=True)
    training = training[training.code.isin(known) & training.text.notna()].reset_index(drop=True)
    return KsicText(subclasses=subclasses, training=training, names=names[names.code.isin(known)].reset_index(drop=True),
                    links_10_11=links)
