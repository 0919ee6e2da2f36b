"""One census year through validation (GSBPM 5.3 "review and validate": flag, don't change).

corrections -> GX suite on the staged rows + custom checks -> errors to quarantine (the row
leaves firm_year), warnings to validation_flag (the row stays) -> GX suite on the curated rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import parallel
from pipeline.frames import rows_where
from pipeline.names import load_name_rules
from pipeline.schema import columns_with_disclosure
from pipeline.settings import Settings
from pipeline.stage import CHANGE_LOG_COLUMNS, QUARANTINE_COLUMNS
from pipeline.validation import checks
from pipeline.validation.checks import KsicCodes
from pipeline.validation.corrections import CorrectionPlan, apply_edits, corrections_path, plan_corrections
from pipeline.validation.rules import ValidationConfig, ValidationConfigError, empty_failures
from pipeline.validation.suites import SuiteOutcome, load_suite, run_suite

CUSTOM_RULES = "census_rules"  # the name the custom checks report under, beside the suites


@dataclass
class ValidatedYear:
    year: int
    source_file: str
    source_sheet: str
    raw_rows: int
    ksic_revision: int
    frame: pd.DataFrame  # curated rows (staged rows minus quarantined ones), corrections applied
    quarantine: pd.DataFrame  # QUARANTINE_COLUMNS: staging's + every failure of a row with an error
    flags: pd.DataFrame  # QUARANTINE_COLUMNS: warnings of rows that stay curated
    change_log: pd.DataFrame  # staging's cleaning + corrections
    corrections_applied: pd.DataFrame
    correction_issues: pd.DataFrame
    outcomes: dict[str, SuiteOutcome] = field(default_factory=dict)  # suite name (and CUSTOM_RULES) -> outcome
    # record_id -> firm name of the quarantined and flagged rows, for the analyst's report (the
    # quarantine table itself has no firm columns).
    firm_names: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    summary: dict = field(default_factory=dict)
    # The canonical column catalogue it was validated with: the report's labels and which
    # columns are personal come from it.
    columns_path: Path | None = None

    @property
    def quarantined_rows(self) -> int:
        err = self.quarantine[self.quarantine["severity"] == "error"]
        return int(err["source_row"].nunique())


def correction_plan(rows: pd.DataFrame, quarantine: pd.DataFrame, year: int, settings: Settings) -> CorrectionPlan:
    """The edit step: the year's corrections file matched to the staged rows (TARGET_COLUMNS are
    enough) that staging did not quarantine as errors; a fix for such a row is unmatched."""
    return plan_corrections(_without_parse_errors(rows, quarantine), year, corrections_path(settings.corrections_dir, year),
                            settings.columns_path)


def _without_parse_errors(rows: pd.DataFrame, quarantine: pd.DataFrame) -> pd.DataFrame:
    """The staged rows that staging did not quarantine as errors: they never reach the curated table."""
    parse_q = _typed(quarantine)
    parse_errors = set(parse_q.loc[parse_q["severity"] == "error", "source_row"].astype("int64"))
    if parse_errors:
        rows = rows_where(rows, ~rows["source_row"].astype("int64").isin(parse_errors).to_numpy())
    return rows.reset_index(drop=True)


def validate_year(staged, settings: Settings, ksic: KsicCodes | None = None, config: ValidationConfig | None = None,
                  suite_dir: Path | None = None, corrections: CorrectionPlan | None = None) -> ValidatedYear:
    """Validate a `pipeline.stage.StagedYear`. Raises SuiteError/ValidationConfigError only for a
    broken suite or config (the load must stop); bad data never raises. The rules and suites are
    the agency's (settings.validation, settings.expectations_dir) unless given. `corrections`: the
    edit step's plan (plan_corrections on the same rows); without it the year's corrections file
    is planned here."""
    config = config or settings.validation
    suite_dir = suite_dir or settings.expectations_dir
    staged_suite = load_suite(config.suites["staged"], suite_dir)
    curated_suite = load_suite(config.suites["curated"], suite_dir)
    # Imported here: the classification package loads the autocoder's libraries.
    from pipeline.classify.multi_code import listed_codes

    if ksic is None:
        from pipeline.validation.ksic_reference import ksic_codes

        ksic = ksic_codes(settings)
    year = int(staged.year)
    frame = staged.frame.reset_index(drop=True)
    missing = [c for c in checks.COLUMNS if c not in frame.columns]
    if missing:
        raise ValidationConfigError(f"{config.path.name}: the staged frame lacks column(s) {', '.join(missing)} that the rules check")

    parse_q = _typed(staged.quarantine)
    frame = _without_parse_errors(frame, staged.quarantine)
    plan = corrections or plan_corrections(frame, year, corrections_path(settings.corrections_dir, year), settings.columns_path)
    corrected = apply_edits(frame, plan.edits, settings.columns_path)
    frame = corrected.frame.reset_index(drop=True)

    revision = _revision(frame, settings, year)
    parameters = {
        "reference_date": settings.reference_date(year),
        "min_founded_date": date.fromisoformat(str(config.threshold("min_founded_date"))),
        # Only the valid codes this census uses: the same rows pass and fail as against every
        # code, and GX copies the set each time it reads the expectation (2 s at 1M with all 2,236).
        # A code of a revision without reference tables is accepted unread (ksic_revision_unsupported
        # warns): it is checked against nothing rather than against another revision's codes.
        "ksic_codes_any_revision": (ksic.any_revision() & set(frame["ksic_code"].dropna().unique()))
        | set(frame["ksic_code"][checks.unsupported_revision(frame, ksic, revision)].dropna().unique()),
    }
    # The custom checks are numpy and pandas kernels; they run beside the GX suite, in two
    # threads: the suite is done first, and the core it leaves is not left idle.
    with parallel.pool() as pool:
        # The two longest are submitted first; the failures are kept in rule order.
        identifiers = pool.submit(checks.identifier_failures, frame, config)
        duplicates = pool.submit(checks.duplicate_failures, frame, config, load_name_rules(settings.config_path("company_aliases.yaml")))
        codes = pool.submit(checks.ksic_failures, frame, ksic, revision, config)
        unread = pool.submit(checks.revision_failures, frame, ksic, revision, config)
        contradicted = pool.submit(checks.contradiction_failures, frame, ksic, revision, config, _text_coder(settings),
                                   listed_codes(staged.change_log, frame))
        ranges = pool.submit(checks.range_failures, frame, config)
        staged_outcome = run_suite(staged_suite, frame, parameters)
        custom = pd.concat([f.result() for f in (identifiers, codes, unread, contradicted, ranges, duplicates)], ignore_index=True)
    custom_outcome = SuiteOutcome(CUSTOM_RULES, len(frame), _per_rule(custom, config, {"revision": revision}), custom)

    found = pd.concat([f for f in (staged_outcome.failures, custom) if len(f)] or [empty_failures()], ignore_index=True)
    error_pos = np.unique(found.loc[found["severity"] == "error", "pos"].to_numpy(dtype=np.int64))
    in_error = np.zeros(len(frame), dtype=bool)
    in_error[error_pos] = True
    rows = _with_provenance(found, frame, staged)
    failed_row_in_error = in_error[found["pos"].to_numpy(dtype=np.int64)] if len(found) else np.zeros(0, dtype=bool)

    quarantine = _sorted(pd.concat([parse_q[parse_q["severity"] == "error"], rows[failed_row_in_error]], ignore_index=True))
    flags = _sorted(pd.concat([parse_q[parse_q["severity"] != "error"], rows[~failed_row_in_error]], ignore_index=True))
    curated = rows_where(frame, ~in_error)
    curated_outcome = run_suite(curated_suite, curated, parameters)

    n_samples = int(config.threshold("sample_rows"))
    personal = set(columns_with_disclosure("personal", settings.columns_path))
    for outcome, ran_on in ((staged_outcome, frame), (custom_outcome, frame), (curated_outcome, curated)):
        outcome.samples = _samples(outcome.failures, ran_on, n_samples, personal)

    change_log = pd.concat([c for c in (staged.change_log, corrected.change_log) if len(c)] or
                           [pd.DataFrame(columns=CHANGE_LOG_COLUMNS)], ignore_index=True)[CHANGE_LOG_COLUMNS]
    validated = ValidatedYear(
        year=year, source_file=staged.source_file, source_sheet=staged.source_sheet, raw_rows=int(staged.raw_rows),
        ksic_revision=revision, frame=curated, quarantine=quarantine, flags=flags, change_log=change_log,
        corrections_applied=corrected.applied, correction_issues=plan.issues,
        outcomes={o.suite: o for o in (staged_outcome, custom_outcome, curated_outcome)},
        firm_names=_firm_names(frame, found["pos"].to_numpy(dtype=np.int64)), columns_path=settings.columns_path,
    )
    validated.summary = summarise(validated, config)
    return validated


def reconcile(staged, validated: ValidatedYear) -> dict:
    """Raw rows = curated + quarantined (distinct source rows), and no row is in both."""
    quarantined = set(validated.quarantine.loc[validated.quarantine["severity"] == "error", "source_row"].astype("int64"))
    curated = set(validated.frame["source_row"].astype("int64"))
    overlap = sorted(quarantined & curated)
    raw = int(staged.raw_rows)
    return {
        "raw_rows": raw,
        "curated_rows": len(validated.frame),
        "quarantined_rows": len(quarantined),
        "difference": raw - len(validated.frame) - len(quarantined),
        "rows_in_both": len(overlap),
        "ok": raw == len(validated.frame) + len(quarantined) and not overlap and len(curated) == len(validated.frame),
    }


def summarise(validated: ValidatedYear, config: ValidationConfig) -> dict:
    by_rule = pd.concat([o.per_rule.assign(suite=o.suite) for o in validated.outcomes.values()], ignore_index=True)
    parse = validated.quarantine[validated.quarantine["rule"].isin(_parse_rules(validated))]
    return {
        "census_year": validated.year,
        "source_file": validated.source_file,
        "ksic_revision": validated.ksic_revision,
        "raw_rows": validated.raw_rows,
        "curated_rows": len(validated.frame),
        "quarantined_rows": validated.quarantined_rows,
        "flagged_rows": int(validated.flags["source_row"].nunique()),
        "quarantine_entries": len(validated.quarantine),
        "flag_entries": len(validated.flags),
        "parse_quarantined_rows": int(parse["source_row"].nunique()),
        "corrections_applied": len(validated.corrections_applied),
        "correction_issues": len(validated.correction_issues),
        "blocking_error_share": float(config.threshold("blocking_error_share")),
        "rules": by_rule.to_dict("records"),
    }


def _samples(found: pd.DataFrame, frame: pd.DataFrame, n: int, personal: set[str]) -> pd.DataFrame:
    """The first n failing rows of each rule, named by record id and source row; the raw value of
    a personal column is never shown."""
    columns = ["rule", "severity", "record_id", "source_row", "column", "raw_value"]
    if found.empty:
        return pd.DataFrame(columns=columns)
    head = found.sort_values("pos", kind="stable").groupby("rule", sort=False).head(n)
    pos = head["pos"].to_numpy(dtype=np.int64)
    return pd.DataFrame({
        "rule": head["rule"].to_numpy(), "severity": head["severity"].to_numpy(),
        "record_id": frame["record_id"].iloc[pos].to_numpy(), "source_row": frame["source_row"].iloc[pos].to_numpy(),
        "column": head["column"].to_numpy(),
        "raw_value": head["raw_value"].where(~head["column"].isin(personal), None).to_numpy(),
    })[columns]


def _firm_names(frame: pd.DataFrame, pos: np.ndarray) -> pd.Series:
    """record_id -> firm name (as corrected) of the rows that failed a rule. Rows staging
    quarantined are not in the frame; their raw firm name is the quarantine's raw_value."""
    pos = np.unique(pos)
    return pd.Series(frame["firm_name"].iloc[pos].to_numpy(dtype=object), index=frame["record_id"].iloc[pos].to_numpy(dtype=object))


def _parse_rules(validated: ValidatedYear) -> set[str]:
    known = {r for o in validated.outcomes.values() for r in o.per_rule["rule"]}
    return set(validated.quarantine["rule"]) - known


def _per_rule(found: pd.DataFrame, config: ValidationConfig, params: dict) -> pd.DataFrame:
    counts = found.groupby("rule")["pos"].nunique() if len(found) else pd.Series(dtype="int64")
    return pd.DataFrame([
        {"rule": r.name, "column": r.column, "severity": r.severity, "expectation": "custom", "failed": int(counts.get(r.name, 0)),
         "message_ko": r.summary_message(params)[0], "message_en": r.summary_message(params)[1]}
        for r in config.rules.values()
    ])


def _text_coder(settings: Settings):
    """The autocoder's contradiction test, loading the model only when a row has words to test."""
    def coder(reported: pd.Series, names: pd.Series, products: pd.Series | None) -> pd.DataFrame:
        from pipeline.classify.classify import AUTOCODE_CACHE
        from pipeline.classify.ksic_source import autocoder
        from pipeline.ksic.autocode import contradictions

        model, config = autocoder(settings.reference_dir, settings.model_cache_dir / AUTOCODE_CACHE,
                                  settings.config_path("classification/autocode.yaml"))
        return contradictions(model, reported, names, products, config)
    return coder


def _revision(frame: pd.DataFrame, settings: Settings, year: int) -> int:
    # Staging writes the year's (or the layout's declared) revision on every row.
    if "ksic_revision" in frame and frame["ksic_revision"].notna().any():
        return int(frame["ksic_revision"].dropna().mode().iloc[0])
    return settings.ksic_revision_for_year(year)


def _with_provenance(found: pd.DataFrame, frame: pd.DataFrame, staged) -> pd.DataFrame:
    pos = found["pos"].to_numpy(dtype=np.int64)
    out = pd.DataFrame({
        "census_year": frame["census_year"].iloc[pos].to_numpy(),
        "source_file": staged.source_file,
        "source_sheet": staged.source_sheet,
        "source_row": frame["source_row"].iloc[pos].to_numpy(),
        "record_id": frame["record_id"].iloc[pos].to_numpy(),
    })
    for c in ("column", "rule", "raw_value", "message_ko", "message_en", "severity"):
        out[c] = found[c].to_numpy()
    return _typed(out)


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    table = table.reindex(columns=QUARANTINE_COLUMNS)
    return table.astype({"census_year": "int64", "source_row": "int64"}) if len(table) else table.astype(
        {"census_year": "int64", "source_row": "int64"}, errors="ignore")


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    """For fixing: by source row as the analyst scrolls the file, each row's errors before its
    warnings (quarantine and flags are sorted separately, so errors rows come first overall)."""
    if table.empty:
        return _typed(table)
    order = table["severity"].map({"error": 0, "warning": 1}).fillna(2)
    return _typed(table.assign(_o=order).sort_values(["source_row", "_o", "rule"], kind="stable").drop(columns="_o").reset_index(drop=True))
