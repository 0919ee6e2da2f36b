"""Criteria as data: stage rules (config/growth/stages.yaml) and programme presets
(config/growth/programmes.yaml), and their three-valued evaluation on panel indicators.

A criterion compares one indicator with a threshold (`revenue_avg_3y >= 5000`, money in
백만원, shares as fractions). A group combines criteria: `at_least: 2` of its items, or `all` /
`any`. Evaluation gives True (met), False (not met) or None (cannot tell: the indicator is
missing or rests on fewer years than the criterion asks), and a group is decided as soon as
the known items decide it: 2 of 4 met is True even if the other two are unknown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError

from pipeline.growth.panel import INDICATORS

CURRENT = ("revenue_mil_krw", "employees_total")
OPS = {">=": np.greater_equal, ">": np.greater, "<=": np.less_equal, "<": np.less}


class GrowthConfigError(ValueError):
    """A stage or programme file is malformed: names the file and the key."""


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    label: str                      # shown to support staff (Korean)
    indicator: str
    op: Literal[">=", ">", "<=", "<"]
    value: float
    min_years: int = 1              # years of data the indicator must rest on
    source: str | None = None       # where the threshold comes from, if it differs from the programme's


def _kind(item: object) -> str:
    # An item with 'of' is a group, anything else a criterion: errors then speak of one of them.
    return "group" if isinstance(item, dict) and "of" in item else "criterion"


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    at_least: int | Literal["all", "any"] = "all"
    of: list[Annotated[Union[Annotated[Criterion, Tag("criterion")], Annotated[Group, Tag("group")]],  # noqa: UP007
                       Discriminator(_kind)]] = Field(min_length=1)


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    description: str
    rule: Group


class StageRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    stages: list[Stage] = Field(min_length=1)   # checked in order: the first that is met decides
    otherwise: str                             # the stage of a firm-year no rule takes


class Programme(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    ministry: str
    legal_basis: str | None = None
    source: str                     # the notice (or the coverage of it) the criteria come from
    year: int                       # year of that notice
    manual_checks: list[str] = []   # conditions the census cannot show (location, sector, SME status)
    rule: Group


class Programmes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    programmes: dict[str, Programme]


def _load(path: Path, model: type[BaseModel]) -> BaseModel:
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
        parsed = model.model_validate(data)
    except OSError as e:
        raise GrowthConfigError(f"{path.name}: 읽을 수 없습니다 / cannot read: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise GrowthConfigError(f"{path.name}: YAML 형식 오류 / not valid YAML: {e}") from None
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"] if p not in ("criterion", "group"))
        raise GrowthConfigError(f"{path.name}: '{where}' — {err['msg']} / 설정 오류") from None
    for item in _criteria_of(parsed):
        if item.indicator not in INDICATORS and item.indicator not in CURRENT:
            raise GrowthConfigError(f"{path.name}: criterion '{item.id}' uses unknown indicator '{item.indicator}' "
                                    f"/ 알 수 없는 지표 (known: {', '.join((*INDICATORS, *CURRENT))})")
    return parsed


def _criteria_of(parsed: BaseModel) -> list[Criterion]:
    groups = ([s.rule for s in parsed.stages] if isinstance(parsed, StageRules)
              else [p.rule for p in parsed.programmes.values()])
    out: list[Criterion] = []

    def walk(g: Group) -> None:
        for item in g.of:
            walk(item) if isinstance(item, Group) else out.append(item)
    for g in groups:
        walk(g)
    return out


def load_stage_rules(path: Path) -> StageRules:
    return _load(path, StageRules)


def load_programmes(path: Path) -> Programmes:
    return _load(path, Programmes)


class TextLists:
    """A list of texts per row, kept as the texts joined by `sep` and their number: what the
    stage and screening columns show is the joined text, and joining column-wise over all rows
    at once replaces a Python list per row."""

    def __init__(self, n: int, sep: str = "; "):
        self.text = np.full(n, "", dtype=object)
        self.count = np.zeros(n, dtype=int)
        self.sep = sep

    def extend(self, where: np.ndarray, text, count=1) -> None:
        """Append `text` (one per row, or one for all) to the rows `where` holds; `count` is how
        many texts each appended text stands for (0 appends nothing)."""
        count = np.broadcast_to(np.asarray(count), self.count.shape)
        rows = np.flatnonzero(where & (count > 0))
        if not len(rows):
            return
        new = np.broadcast_to(np.asarray(text, dtype=object), self.text.shape)[rows]
        had = self.count[rows] > 0
        self.text[rows] = np.where(had, self.text[rows] + self.sep + new, new)
        self.count[rows] += count[rows]

    def clear(self, where: np.ndarray) -> None:
        self.text[where] = ""
        self.count[where] = 0

    def joined(self) -> np.ndarray:
        """The joined text per row, None where it is empty."""
        return np.where(self.text == "", None, self.text)


def evaluate_criterion(c: Criterion, ind: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(state, note) per row: state 1 met, 0 not met, -1 cannot tell; note says why it cannot."""
    n = len(ind)
    if c.indicator not in ind.columns:
        return np.full(n, -1), np.full(n, f"{c.label}: 지표 없음 / no {c.indicator}", dtype=object)
    # Rounded to 9 decimals: a firm growing 100 -> 121 in two years grows 10 %, not 9.99999...
    value = np.round(pd.to_numeric(ind[c.indicator], errors="coerce").to_numpy(dtype=float), 9)
    years = ind[f"{c.indicator}_years"].to_numpy() if f"{c.indicator}_years" in ind.columns else np.where(np.isnan(value), 0, 1)
    reason = ind[f"{c.indicator}_reason"].to_numpy(dtype=object) if f"{c.indicator}_reason" in ind.columns else np.full(n, None)
    known = ~np.isnan(value) & (years >= c.min_years)
    state = np.where(known, OPS[c.op](np.where(known, value, 0), c.value).astype(int), -1)
    note = np.full(n, None, dtype=object)
    unknown = np.flatnonzero(~known)
    if len(unknown):
        why = np.empty(len(unknown), dtype=object)
        no_value = np.isnan(value[unknown])
        given = reason[unknown[no_value]]
        why[no_value] = np.where(np.fromiter((isinstance(r, str) for r in given), bool, len(given)), given, "값 없음 / no value")
        few = years[unknown[~no_value]]
        # One text per distinct number of years.
        texts = {y: f"자료 {int(y)}년 (필요 {c.min_years}년) / {int(y)} of {c.min_years} years of data" for y in set(few.tolist())}
        why[~no_value] = np.array([texts[y] for y in few.tolist()], dtype=object)
        note[unknown] = f"{c.label}: " + why
    return state, note


def evaluate_group(g: Group, ind: pd.DataFrame) -> tuple[np.ndarray, TextLists, TextLists]:
    """(state, failed, missing) per row: state as evaluate_criterion; failed lists the labels of
    criteria not met, missing the notes of criteria that cannot be told (only where they matter:
    a met group lists nothing)."""
    n = len(ind)
    met = np.zeros(n, int)
    unknown = np.zeros(n, int)
    failed, missing = TextLists(n), TextLists(n)
    for item in g.of:
        if isinstance(item, Group):
            state, f, m = evaluate_group(item, ind)
            # A sub-group not met lists its failed criteria, or its own label if it names none.
            failed.extend(state == 0, np.where(f.count > 0, f.text, item.label), np.maximum(f.count, 1))
            missing.extend(state == -1, m.text, m.count)
            failed.extend(state == -1, f.text, f.count)
        else:
            state, note = evaluate_criterion(item, ind)
            failed.extend(state == 0, item.label)
            missing.extend(state == -1, note)
        met += state == 1
        unknown += state == -1
    size = len(g.of)
    need = size if g.at_least == "all" else 1 if g.at_least == "any" else int(g.at_least)
    result = np.where(met >= need, 1, np.where(met + unknown < need, 0, -1))
    failed.clear(result == 1)
    missing.clear(result != -1)
    return result, failed, missing
