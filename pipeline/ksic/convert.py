"""Converting (revision, code) pairs between KSIC revisions through the official 연계표.

A bare code is ambiguous (29293 is 인쇄·제책 기계 in KSIC-10 and 주형 및 금형 in KSIC-11), so every
function here takes the revision with the code. A conversion returns the deepest code that the
reported code alone determines: the subclass for 1:1, renamed and merged codes; for a split, the
deepest common parent of the candidates, with the candidates listed so an analyst can resolve it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from pipeline.ksic.reference import KsicReference

# Order of severity when a conversion takes several steps (9 -> 10 -> 11): the worst step wins.
_SEVERITY = ["same_revision", "1:1", "renamed", "merge", "split"]


@dataclass(frozen=True)
class Conversion:
    code: str | None          # deepest determined code in the target revision (section letter … subclass)
    relation: str | None      # same_revision | 1:1 | renamed | merge | split | higher_level | None
    candidates: str | None    # "20121|20122" when a split leaves several subclasses
    issue: str | None         # missing | nts_code | invalid_code | no_concordance | code_from_ksic<N> | None


def clean_code(value: object) -> str | None:
    """Digits of a reported code ("C29293", "29-293", " 29293 " -> "29293"); None if nothing is left."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = re.sub(r"[\s\-.]", "", str(value)).upper()
    text = re.sub(r"^[A-Z](?=\d)", "", text)
    return text if text.isdigit() or re.fullmatch(r"[A-U]", text) else None


class Converter:
    """Lookups built once per reference: codes per revision, subclasses under a code, steps."""

    def __init__(self, ref: KsicReference):
        self.known = {int(r): set(g.code) for r, g in ref.ksic.groupby("revision")}
        self.parent = {(int(r), c): p for r, c, p in ref.ksic[["revision", "code", "parent"]].itertuples(index=False)}
        self.labels = {(int(r), c): (lv, ko, en) for r, c, lv, ko, en in
                       ref.ksic[["revision", "code", "level", "name_ko", "name_en"]].itertuples(index=False)}
        sub = ref.ksic[ref.ksic.level == "subclass"]
        self.subclasses = {int(r): sorted(g.code) for r, g in sub.groupby("revision")}
        self.steps: dict[tuple[int, int], dict[str, list[tuple[str, str]]]] = {}
        for (a, b), part in ref.concordance.groupby(["from_revision", "to_revision"]):
            table: dict[str, list[tuple[str, str]]] = {}
            for f, t, rel in part[["from_code", "to_code", "relation"]].itertuples(index=False):
                table.setdefault(f, []).append((t, rel))
            self.steps[(int(a), int(b))] = table
        self._cache: dict[tuple[int, str | None, int], Conversion] = {}

    def convert(self, revision: int | None, raw_code: object, target: int) -> Conversion:
        code = clean_code(raw_code)
        key = (revision, code, target)
        if key not in self._cache:
            self._cache[key] = self._convert(revision, code, target)
        return self._cache[key]

    def _convert(self, revision: int | None, code: str | None, target: int) -> Conversion:
        if code is None or revision is None or pd.isna(revision):
            return Conversion(None, None, None, "missing")
        revision = int(revision)
        if code.isdigit() and len(code) == 6:
            return Conversion(None, None, None, "nts_code")  # 국세청 업종코드, not KSIC (domain §2.6)
        if revision in self.known and code not in self.known[revision]:
            # Respondents often copy last survey's code: a code that exists only in another
            # imported revision is read in the nearest such revision, and the issue says so.
            others = sorted((r for r in self.known if r != revision and code in self.known[r]), key=lambda r: abs(r - revision))
            if not others:
                return Conversion(None, None, None, "invalid_code")
            found = self._convert(others[0], code, target)
            return Conversion(found.code, found.relation, found.candidates, found.issue or f"code_from_ksic{others[0]}")
        if revision == target:
            return Conversion(code, "same_revision", None, None)
        start = self._subclasses_under(revision, code)
        current, worst = set(start), "1:1"
        step = 1 if target > revision else -1
        for rev in range(revision, target, step):
            table = self.steps.get((rev, rev + step))
            if table is None:
                return Conversion(None, None, None, "no_concordance")
            nxt = set()
            for c in current:
                for to_code, rel in table.get(c, []):
                    nxt.add(to_code)
                    if _SEVERITY.index(rel) > _SEVERITY.index(worst):
                        worst = rel
            current = nxt
        if not current:
            return Conversion(None, None, None, "no_concordance")
        if len(code) < 5:  # a reported group/class: its subclasses map to a set by construction
            return Conversion(self._common(target, sorted(current)), "higher_level", None, None)
        targets = sorted(current)
        if len(targets) == 1:
            return Conversion(targets[0], worst if worst != "split" else "1:1", None, None)
        return Conversion(self._common(target, targets), "split", "|".join(targets), None)

    def _subclasses_under(self, revision: int, code: str) -> list[str]:
        if len(code) == 5 or revision not in self.subclasses:
            return [code]
        if code.isalpha():
            return [s for s in self.subclasses[revision] if self.section_of(revision, s) == code]
        return [s for s in self.subclasses[revision] if s.startswith(code)]

    def _common(self, revision: int, codes: list[str]) -> str | None:
        """Deepest code that is a parent of all `codes` in `revision` (walking the parent links,
        so a common section is found even when the divisions differ)."""
        chains = [self.ancestors(revision, c) for c in codes]
        shared = set(chains[0]).intersection(*chains[1:])
        for c in chains[0]:
            if c in shared:
                return c
        return None

    def ancestors(self, revision: int, code: str) -> list[str]:
        """The code and its parents, deepest first (['29293', '2929', '292', '29', 'C'])."""
        out = [code]
        while (revision, out[-1]) in self.parent and self.parent[(revision, out[-1])] is not None:
            out.append(self.parent[(revision, out[-1])])
        return out

    def section_of(self, revision: int, code: str) -> str | None:
        top = self.ancestors(revision, code)[-1]
        return top if top.isalpha() else None


@lru_cache(maxsize=4)
def converter(ref: KsicReference) -> Converter:
    """One Converter per loaded reference (the reference itself is cached per process)."""
    return Converter(ref)


def conversions(ref: KsicReference, codes: pd.Series, revisions: pd.Series, target: int) -> list[Conversion]:
    """The conversion of each (code, revision) pair to the target revision."""
    conv = converter(ref)
    return [conv.convert(None if pd.isna(r) else int(r), c, target) for c, r in zip(codes, revisions, strict=True)]


def convert_frame(ref: KsicReference, codes: pd.Series, revisions: pd.Series, target: int, prefix: str,
                  results: list[Conversion] | None = None) -> pd.DataFrame:
    """Columns {prefix}_code, _relation, _candidates, and {prefix}_unresolved for a code column
    and its revision column (same index); `results` if the conversions are already at hand."""
    results = results if results is not None else conversions(ref, codes, revisions, target)
    out = pd.DataFrame(index=codes.index)
    out[f"{prefix}_code"] = pd.array([r.code for r in results], dtype="str")
    out[f"{prefix}_relation"] = pd.array([r.relation for r in results], dtype="str")
    out[f"{prefix}_candidates"] = pd.array([r.candidates for r in results], dtype="str")
    out[f"{prefix}_unresolved"] = pd.array([r.relation == "split" for r in results], dtype="boolean")
    return out
