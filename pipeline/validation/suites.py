"""Great Expectations 1.x suites from the agency's expectations/*.json (settings.expectations_dir), run on a pandas frame in an ephemeral
context created per run (never at import: parallel Dagster steps must not share a context).

Each expectation's `meta` names its rule, severity and Korean/English message. A suite that is
malformed, whose expectation GX would drop (GX logs and drops invalid ones silently), or that names
a column the frame lacks raises SuiteError naming the suite and the expectation: a load must not
run with fewer rules than the analysts reviewed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.validation.rules import Rule, ValidationConfigError, empty_failures, failures, parse_rule

COLUMN_KWARGS = ("column", "column_A", "column_B")
LIST_COLUMN_KWARGS = ("column_list",)


class SuiteError(ValidationConfigError):
    pass


@dataclass(frozen=True)
class Suite:
    name: str
    path: Path
    expectations: tuple[dict, ...]  # the JSON dicts, in file order
    rules: tuple[Rule, ...]  # one per expectation, same order

    def columns(self) -> set[str]:
        return {c for e in self.expectations for c in expectation_columns(e)}


@dataclass
class SuiteOutcome:
    """One suite run: what the asset check and the report show."""

    suite: str
    rows: int
    per_rule: pd.DataFrame  # rule, column, severity, expectation, failed, message_ko, message_en
    failures: pd.DataFrame  # FAILURE_COLUMNS; pos is the row position in the frame the suite ran on
    samples: pd.DataFrame | None = None  # a few failing rows per rule (record_id, source_row, ...), no personal data

    @property
    def failed_error_rows(self) -> int:
        err = self.failures[self.failures["severity"] == "error"]
        return int(err["pos"].nunique())


def expectation_columns(expectation: dict) -> list[str]:
    kwargs = expectation.get("kwargs") or {}
    cols = [kwargs[k] for k in COLUMN_KWARGS if isinstance(kwargs.get(k), str)]
    for k in LIST_COLUMN_KWARGS:
        cols += [c for c in kwargs.get(k) or [] if isinstance(c, str)]
    return cols


def load_suite(name: str, directory: Path) -> Suite:
    """expectations/<name>.json of the agency (`directory`: settings.expectations_dir)."""
    path = directory / f"{name}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SuiteError(f"suite '{name}': cannot read {path}: {e}") from None
    except json.JSONDecodeError as e:
        raise SuiteError(f"suite '{name}' ({path.name}): not valid JSON: {e}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("expectations"), list) or not raw["expectations"]:
        raise SuiteError(f"suite '{name}' ({path.name}): needs a non-empty 'expectations' list")
    rules, names = [], set()
    for i, exp in enumerate(raw["expectations"], start=1):
        label = _label(name, i, exp)
        if not isinstance(exp, dict) or not isinstance(exp.get("type"), str) or not isinstance(exp.get("kwargs"), dict):
            raise SuiteError(f"{label}: needs 'type' and 'kwargs'")
        meta = exp.get("meta") or {}
        columns = expectation_columns(exp)
        if not columns:
            raise SuiteError(f"{label}: names no column")
        try:
            rule = parse_rule(str(meta.get("rule") or ""), {**meta, "column": columns[-1]}, label, f"suite:{name}")
        except ValidationConfigError as e:
            raise SuiteError(str(e)) from None
        if not rule.name:
            raise SuiteError(f"{label}: meta.rule is missing")
        if rule.name in names:
            raise SuiteError(f"{label}: rule name '{rule.name}' is used twice in the suite")
        names.add(rule.name)
        rules.append(rule)
    suite = Suite(name, path, tuple(raw["expectations"]), tuple(rules))
    build_gx_suite(suite)  # fails now, not mid-run, if GX would drop an expectation
    return suite


def _label(suite: str, i: int, exp: Any) -> str:
    rule = (exp.get("meta") or {}).get("rule") if isinstance(exp, dict) else None
    kind = exp.get("type") if isinstance(exp, dict) else None
    return f"suite '{suite}' expectation {i} ({rule or kind or '?'})"


def build_gx_suite(suite: Suite):
    """The GX ExpectationSuite; raises SuiteError if GX rejects or drops any expectation."""
    import great_expectations as gx  # heavy import kept out of module import time

    built = []
    for i, exp in enumerate(suite.expectations, start=1):
        gx_logger = logging.getLogger("great_expectations.core.expectation_suite")
        previous = gx_logger.disabled
        gx_logger.disabled = True  # we raise our own message instead of GX's logged traceback
        try:
            one = gx.ExpectationSuite(name=suite.name, expectations=[exp])
        except Exception as e:  # GX raises many types for bad kwargs
            raise SuiteError(f"{_label(suite.name, i, exp)}: GX rejects it: {e}") from None
        finally:
            gx_logger.disabled = previous
        if len(one.expectations) != 1:
            raise SuiteError(f"{_label(suite.name, i, exp)}: GX drops it as invalid (check its type and kwargs)")
        built.append(exp)
    full = gx.ExpectationSuite(name=suite.name, expectations=built)
    if len(full.expectations) != len(suite.expectations):
        raise SuiteError(f"suite '{suite.name}': GX kept {len(full.expectations)} of {len(suite.expectations)} expectations")
    return full


def check_columns(suite: Suite, columns) -> None:
    """SuiteError naming every expectation whose column the frame does not have."""
    have = set(columns)
    bad = [
        f"{_label(suite.name, i, exp)} names column(s) {', '.join(sorted(set(expectation_columns(exp)) - have))}"
        for i, exp in enumerate(suite.expectations, start=1)
        if set(expectation_columns(exp)) - have
    ]
    if bad:
        raise SuiteError("; ".join(bad) + " that the frame does not have")


def run_suite(suite: Suite, frame: pd.DataFrame, parameters: dict[str, Any]) -> SuiteOutcome:
    """Validate `frame` (positions 0..n-1) against `suite`; one failure row per failing row and rule.

    `parameters` fill the suite's {"$PARAMETER": ...} kwargs and the {placeholders} of messages.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    check_columns(suite, frame.columns)
    # GX hashes the whole batch frame to name it: hand it only the columns the suite checks.
    frame = frame[sorted(suite.columns())].reset_index(drop=True)
    # GX compares nullable Int64 values one by one in Python (~0.7 s per million per expectation);
    # as float64 (missing -> NaN, same order) it uses its vectorised path.
    presence_only = _columns_read_only_by(suite, {"expect_column_values_to_not_be_null"})
    identity_only = _columns_read_only_by(suite, {"expect_column_values_to_not_be_null", "expect_column_values_to_be_unique"})
    given = frame.copy(deep=False)  # the values as delivered, for the failures reported
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.Int64Dtype):
            frame[name] = frame[name].astype("float64")
        elif name in presence_only and not pd.api.types.is_numeric_dtype(frame[name].dtype):
            # Only not-null expectations read this column, so only presence matters; GX hashes
            # the batch to fingerprint it, ~0.5 s per million strings per column.
            frame[name] = np.where(frame[name].isna().to_numpy(), np.nan, 1.0)
        elif name in identity_only and not pd.api.types.is_numeric_dtype(frame[name].dtype):
            # Only presence and repeats matter: one code per distinct value says the same, and
            # GX checks a million codes in 0.2 s against 1.3 s for a million record ids.
            codes = pd.factorize(frame[name])[0]
            frame[name] = np.where(codes < 0, np.nan, codes.astype("float64"))
    context = gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        ),
    )
    batch_definition = (
        context.data_sources.add_pandas(f"{suite.name}_source")
        .add_dataframe_asset(f"{suite.name}_rows")
        .add_batch_definition_whole_dataframe("whole")
    )
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(
        build_gx_suite(suite),
        result_format={"result_format": "COMPLETE", "return_unexpected_index_query": False},
        expectation_parameters=_gx_parameters(parameters),
    )
    parts, counts = [], []
    # GX does not keep suite order: match each result to its expectation by the unique meta.rule.
    by_rule = {(r.expectation_config.meta or {}).get("rule"): r for r in result.results}
    for exp, rule in zip(suite.expectations, suite.rules, strict=True):
        res = by_rule.get(rule.name)
        if res is None or res.expectation_config.type != exp["type"]:
            raise SuiteError(f"suite '{suite.name}' rule '{rule.name}': GX returned no result for it")
        if res.exception_info and res.exception_info.get("raised_exception"):
            message = res.exception_info.get("exception_message")
            raise SuiteError(f"suite '{suite.name}' rule '{rule.name}': GX could not evaluate it: {message}")
        pos = list(res.result.get("unexpected_index_list") or [])
        ko, en = rule.summary_message(parameters)
        counts.append({
            "rule": rule.name, "column": rule.column, "severity": rule.severity,
            "expectation": exp["type"], "failed": len(pos), "message_ko": ko, "message_en": en,
        })
        if pos:
            values = (given if rule.column in identity_only else frame)[rule.column]
            parts.append(failures(rule, pos, values.iloc[pos], parameters))
    found = pd.concat(parts, ignore_index=True) if parts else empty_failures()
    return SuiteOutcome(suite.name, len(frame), pd.DataFrame(counts), found)


def _columns_read_only_by(suite: Suite, types: set[str]) -> set[str]:
    """The columns that only expectations of these types read."""
    uses: dict[str, set[str]] = {}
    for exp in suite.expectations:
        for column in expectation_columns(exp):
            uses.setdefault(column, set()).add(exp["type"])
    return {c for c, used in uses.items() if used <= types}


def _gx_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    # GX compares dates against pandas datetime64 values: give it Timestamps, and lists not sets.
    out = {}
    for k, v in parameters.items():
        if isinstance(v, (set, frozenset, tuple)):
            v = sorted(v)
        elif hasattr(v, "isoformat") and not isinstance(v, pd.Timestamp):
            v = pd.Timestamp(v)
        out[k] = v
    return out
