"""The validation settings (config/validation.yaml) and the one shape every rule failure takes.

GX expectations (rule, severity and messages in their `meta`) and the custom checks (rules in
config/validation.yaml) both produce a *failures* frame with FAILURE_COLUMNS, so the quarantine,
the flags, the asset checks and the report treat them alike.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.config import ConfigError, read_config
from pipeline.config.files import cached_by_file
from pipeline.config.validation_file import ValidationFile

SEVERITIES = ("error", "warning")
# pos is the row's position in the validated frame; the rest become quarantine columns.
FAILURE_COLUMNS = ["pos", "column", "rule", "raw_value", "message_ko", "message_en", "severity", "source"]


class ValidationConfigError(ConfigError):
    """config/validation.yaml or a suite is malformed; names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    name: str
    column: str
    severity: str
    message_ko: str
    message_en: str
    source: str  # "config" or "suite:<name>"

    def placeholders(self) -> set[str]:
        found = set()
        for text in (self.message_ko, self.message_en):
            found |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
        return found

    def summary_message(self, params: dict | None = None) -> tuple[str, str]:
        """The messages for a per-rule summary: run-wide {placeholders} filled, row-specific ones '…'."""
        values = {k: _show(params[k]) if params and k in params else "…" for k in self.placeholders()}
        return self.message_ko.format(**values), self.message_en.format(**values)


@dataclass(frozen=True)
class ValidationConfig:
    thresholds: dict[str, Any]
    corporate_brn_type_codes: frozenset[str]
    suites: dict[str, str]
    rules: dict[str, Rule]
    path: Path

    def threshold(self, key: str) -> Any:
        if key not in self.thresholds:
            raise ValidationConfigError(f"{self.path.name}: thresholds.{key} is not set")
        return self.thresholds[key]


def parse_rule(name: str, spec: Any, where: str, source: str) -> Rule:
    if not isinstance(spec, dict):
        raise ValidationConfigError(f"{where}: rule '{name}' must be a mapping")
    missing = [k for k in ("column", "severity", "message_ko", "message_en") if not spec.get(k)]
    if missing:
        raise ValidationConfigError(f"{where}: rule '{name}' lacks {', '.join(missing)}")
    if spec["severity"] not in SEVERITIES:
        raise ValidationConfigError(f"{where}: rule '{name}' has severity '{spec['severity']}' (use {' or '.join(SEVERITIES)})")
    return Rule(name, str(spec["column"]), spec["severity"], str(spec["message_ko"]), str(spec["message_en"]), source)


@cached_by_file
def load_config(path: Path) -> ValidationConfig:
    """The agency's config/validation.yaml (settings.validation reads it from the agency root)."""
    try:
        parsed = read_config(Path(path), ValidationFile)
    except ConfigError as e:
        raise ValidationConfigError(str(e)) from None
    rules = {name: Rule(name, spec.column, spec.severity, spec.message_ko, spec.message_en, "config")
             for name, spec in parsed.rules.items()}
    return ValidationConfig(
        thresholds=parsed.thresholds.model_dump(),
        corporate_brn_type_codes=frozenset(str(c).zfill(2) for c in parsed.corporate_brn_type_codes),
        suites=parsed.suites.model_dump(),
        rules=rules,
        path=Path(path),
    )


def empty_failures() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "pos" else object) for c in FAILURE_COLUMNS})


def failures(rule: Rule, pos, raw_value=None, params: pd.DataFrame | dict | None = None) -> pd.DataFrame:
    """Failure rows of `rule` at frame positions `pos`.

    `params` fills the rule's {placeholders}: a dict for values shared by all rows, or a frame
    with one row per position for row-specific values (e.g. the first row of a duplicate).
    """
    pos = pd.Series(pos, dtype="int64").to_numpy()
    if len(pos) == 0:
        return empty_failures()
    ko, en = _messages(rule, len(pos), params)
    return pd.DataFrame({
        "pos": pos,
        "column": rule.column,
        "rule": rule.name,
        "raw_value": _as_text(raw_value, len(pos)),
        "message_ko": ko,
        "message_en": en,
        "severity": rule.severity,
        "source": rule.source,
    })


def _messages(rule: Rule, n: int, params) -> tuple[list[str] | str, list[str] | str]:
    wanted = rule.placeholders()
    if not wanted:
        return rule.message_ko, rule.message_en
    if params is None:
        params = {}
    if isinstance(params, dict):
        values = {k: _show(params[k]) for k in wanted if k in params}
        missing = wanted - set(values)
        if missing:
            raise ValidationConfigError(f"rule '{rule.name}' ({rule.source}) names unknown placeholder(s) {sorted(missing)}")
        return rule.message_ko.format(**values), rule.message_en.format(**values)
    missing = wanted - set(params.columns)
    if missing:
        raise ValidationConfigError(f"rule '{rule.name}' ({rule.source}) names unknown placeholder(s) {sorted(missing)}")
    rows = params[sorted(wanted)].map(_show).to_dict("records")
    return [rule.message_ko.format(**r) for r in rows], [rule.message_en.format(**r) for r in rows]


def _show(value: Any) -> str:
    if value is None or (not isinstance(value, (list, tuple, set, frozenset)) and pd.isna(value)):
        return "-"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(map(str, value)) or "-"
    return str(value)


def _as_text(values, n: int) -> np.ndarray:
    """The raw values as text (vectorised: a bad delivery can fail a rule on every row)."""
    if values is None:
        return np.full(n, None, dtype=object)
    s = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        text = s.dt.strftime("%Y-%m-%d")
    elif pd.api.types.is_float_dtype(s.dtype):
        whole = (s.notna() & (s % 1 == 0)).to_numpy()
        text = s.astype(str).astype(object)
        text[whole] = s[whole].astype("int64").astype(str).to_numpy(dtype=object)
    elif s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) not in ("string", "empty"):
        text = s.map(lambda v: _show(v) if isinstance(v, (float, pd.Timestamp)) else v)
    else:
        text = s.astype(str)
    return text.astype(object).where(s.notna().to_numpy(), None).to_numpy(dtype=object)
