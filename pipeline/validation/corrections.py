"""Analysts' corrections: data/corrections/<year>.csv, applied before validation.

Analysts never edit the contractor's file. They write one row per fix::

    brn,record_id,column,value,reason,who
    134-86-72683,,employees_total,42,전화 확인 2025-03-02,kim
    ,2024-0000123,ksic_code,29294,주생산품 기준 재분류,lee

A row is identified by record_id (wins when both are given; a brn that disagrees with the
record_id's row is an error) or by brn. An empty value clears the item. Every applied fix goes to
the change log with rule 'correction:<who>'. A fix that no longer matches a row, matches several,
or cannot be read is reported row by row (`issues`), never dropped silently and never a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import clean
from pipeline import identifiers as ids
from pipeline.schema import canonical_columns, columns_with_disclosure
from pipeline.stage import CHANGE_LOG_COLUMNS

ISSUE_COLUMNS = ["census_year", "corrections_file", "file_row", "record_id", "column", "rule", "message_ko", "message_en"]
APPLIED_COLUMNS = ["census_year", "file_row", "record_id", "source_row", "column", "who", "reason"]
# The edit step's output (table correction_edit): what will be changed, keyed by record_id, with
# the analyst's value as written (read into the column's type when it is applied).
EDIT_COLUMNS = ["census_year", "file_row", "record_id", "source_row", "column", "value", "who", "reason"]
# What planning reads of the staged rows: a 1M-firm year's edit step reads three columns.
TARGET_COLUMNS = ["record_id", "brn", "source_row"]
REQUIRED_HEADERS = ("column", "value", "reason", "who")
# Analysts may write the header in Korean, as the report labels these fields.
HEADER_ALIASES = {"사업자등록번호": "brn", "레코드id": "record_id", "항목": "column", "정정값": "value",
                  "사유": "reason", "작성자": "who"}
# Personal data never reaches the change log: the fact of the change is logged, not the values.
PERSONAL_PLACEHOLDER = "<개인정보>"


@dataclass
class CorrectionPlan:
    edits: pd.DataFrame  # EDIT_COLUMNS
    issues: pd.DataFrame  # ISSUE_COLUMNS


@dataclass
class CorrectionResult:
    frame: pd.DataFrame
    change_log: pd.DataFrame
    applied: pd.DataFrame
    issues: pd.DataFrame


def corrections_path(corrections_dir: Path, year: int) -> Path:
    return corrections_dir / f"{year}.csv"


def read_corrections(path: Path) -> tuple[pd.DataFrame | None, str | None]:
    """The file as text cells (UTF-8 with or without BOM, else CP949 as Excel saves it), or the
    reason it cannot be read."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, skip_blank_lines=True)
            break
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as e:
            return None, str(e).splitlines()[0] if str(e) else type(e).__name__
    else:
        return None, "neither UTF-8 nor CP949"
    names = [str(c).strip().lower() for c in table.columns]
    table.columns = [HEADER_ALIASES.get(n, n) for n in names]
    return table, None


def plan_corrections(frame: pd.DataFrame, year: int, path: Path, columns: Path) -> CorrectionPlan:
    """The year's corrections file matched to the rows of `frame` (TARGET_COLUMNS are enough):
    one edit per row and column, by record_id, and the fixes that cannot be applied, with why."""
    plan = CorrectionPlan(_empty(EDIT_COLUMNS), _empty(ISSUE_COLUMNS))
    if not path.is_file():
        return plan
    table, problem = read_corrections(path)
    issues: list[dict] = []

    def issue(file_row, rule, ko, en, record_id=None, column=None):
        issues.append({"census_year": year, "corrections_file": path.name, "file_row": file_row, "record_id": record_id,
                       "column": column, "rule": rule, "message_ko": ko, "message_en": en})

    if table is None:
        issue(0, "correction_file_unreadable", f"정정 파일을 읽을 수 없습니다: {problem}", f"cannot read the corrections file: {problem}")
        return CorrectionPlan(plan.edits, pd.DataFrame(issues, columns=ISSUE_COLUMNS))
    missing = [h for h in REQUIRED_HEADERS if h not in table.columns]
    if missing or not ({"brn", "record_id"} & set(table.columns)):
        need = ", ".join(missing + ([] if {"brn", "record_id"} & set(table.columns) else ["brn 또는/or record_id"]))
        issue(1, "correction_header", f"정정 파일 머리글에 없는 항목: {need}", f"corrections file header lacks: {need}")
        return CorrectionPlan(plan.edits, pd.DataFrame(issues, columns=ISSUE_COLUMNS))

    catalogue = canonical_columns(columns)
    personal = set(columns_with_disclosure("personal", columns))
    by_record = {r: i for i, r in enumerate(frame["record_id"].to_numpy())}
    brn_index: dict[str, list[int]] = {}
    for i, b in enumerate(ids.normalise_number(frame["brn"]).to_numpy()):
        if isinstance(b, str):
            brn_index.setdefault(b, []).append(i)

    planned: dict[tuple[int, str], dict] = {}
    for n, row in enumerate(table.to_dict("records")):
        file_row = n + 2  # as a spreadsheet shows it: the header is row 1
        cell = {k: (str(v).strip() if v is not None else "") for k, v in row.items()}
        record_id, brn, column = cell.get("record_id", ""), cell.get("brn", ""), cell.get("column", "")
        if not any(cell.values()):
            continue
        if not cell.get("who") or not cell.get("reason"):
            issue(file_row, "correction_unsigned", "정정 사유(reason)와 작성자(who)가 필요합니다",
                  "a correction needs a reason and who made it", record_id or None, column or None)
            continue
        if column not in catalogue:
            issue(file_row, "correction_unknown_column", f"정정할 수 없는 항목입니다: '{column}' (config/canonical_columns.yaml 참조)",
                  f"'{column}' is not a column that can be corrected (see config/canonical_columns.yaml)", record_id or None, column or None)
            continue
        target, problem = _target(record_id, brn, by_record, brn_index, frame)
        if problem:
            issue(file_row, problem[0], problem[1], problem[2], record_id or None, column)
            continue
        ok, _ = _convert(cell.get("value", ""), catalogue[column].type)
        if not ok:
            shown = PERSONAL_PLACEHOLDER if column in personal else cell.get("value", "")
            issue(file_row, "correction_bad_value", f"{column} 값으로 읽을 수 없습니다: '{shown}'",
                  f"'{shown}' is not a valid {column} value", frame["record_id"].iat[target], column)
            continue
        key = (target, column)
        if key in planned:
            issue(planned[key]["file_row"], "correction_superseded", f"같은 행·항목을 {file_row}행이 다시 정정하여 이 정정은 적용되지 않았습니다",
                  f"superseded by file row {file_row}, which corrects the same row and column", frame["record_id"].iat[target], column)
        planned[key] = {"census_year": year, "file_row": file_row, "record_id": frame["record_id"].iat[target],
                        "source_row": frame["source_row"].iat[target], "column": column, "value": cell.get("value", ""),
                        "who": cell["who"], "reason": cell["reason"]}
    return CorrectionPlan(pd.DataFrame(list(planned.values()), columns=EDIT_COLUMNS),
                          pd.DataFrame(issues, columns=ISSUE_COLUMNS))


def apply_edits(frame: pd.DataFrame, edits: pd.DataFrame, columns: Path) -> CorrectionResult:
    """`frame` (a copy) with the planned edits applied by record_id, in file order; the change
    log (personal values never in it) and what was applied. `issues` is empty: planning made them."""
    if edits.empty:
        return CorrectionResult(frame, _empty(CHANGE_LOG_COLUMNS), _empty(APPLIED_COLUMNS), _empty(ISSUE_COLUMNS))
    frame = frame.copy()
    catalogue = canonical_columns(columns)
    personal = set(columns_with_disclosure("personal", columns))
    by_record = {r: i for i, r in enumerate(frame["record_id"].to_numpy())}
    log, applied = [], []
    for fix in edits.to_dict("records"):
        target, column = by_record[fix["record_id"]], fix["column"]
        _, value = _convert(fix["value"] or "", catalogue[column].type)
        old = frame[column].iat[target]
        frame.loc[frame.index[target], column] = value
        new = frame[column].iat[target]
        hide = column in personal
        log.append({"census_year": fix["census_year"], "record_id": fix["record_id"], "source_row": frame["source_row"].iat[target],
                    "column": column, "old_value": PERSONAL_PLACEHOLDER if hide else _text(old),
                    "new_value": PERSONAL_PLACEHOLDER if hide else _text(new), "rule": f"correction:{fix['who']}"})
        applied.append({"census_year": fix["census_year"], "file_row": fix["file_row"], "record_id": fix["record_id"],
                        "source_row": frame["source_row"].iat[target], "column": column, "who": fix["who"], "reason": fix["reason"]})
    return CorrectionResult(frame, pd.DataFrame(log, columns=CHANGE_LOG_COLUMNS), pd.DataFrame(applied, columns=APPLIED_COLUMNS),
                            _empty(ISSUE_COLUMNS))


def _target(record_id, brn, by_record, brn_index, frame) -> tuple[int | None, tuple[str, str, str] | None]:
    brn_key = ids.normalise_number(pd.Series([brn or None])).iloc[0] if brn else None
    if record_id:
        if record_id not in by_record:
            return None, ("correction_unmatched", f"레코드ID {record_id}인 행이 없습니다 (원본에서 빠졌거나 적재 단계에서 격리됨)",
                          f"no row has record id {record_id} (gone from the delivery or quarantined at loading)")
        target = by_record[record_id]
        if brn_key and ids.normalise_number(frame["brn"].iloc[[target]]).iloc[0] != brn_key:
            return None, ("correction_mismatch", f"레코드ID {record_id} 행의 사업자등록번호가 정정 파일의 번호와 다릅니다",
                          f"the row with record id {record_id} has a different business registration number")
        return target, None
    if not brn_key:
        return None, ("correction_no_target", "brn 또는 record_id로 대상 행을 지정해야 합니다",
                      "name the row by brn or record_id")
    rows = brn_index.get(brn_key, [])
    if not rows:
        return None, ("correction_unmatched", f"사업자등록번호 {brn}인 행이 없습니다", f"no row has business registration number {brn}")
    if len(rows) > 1:
        return None, ("correction_ambiguous", f"사업자등록번호 {brn}인 행이 {len(rows)}개입니다: record_id로 지정하세요",
                      f"{len(rows)} rows have business registration number {brn}: name the row by record_id")
    return rows[0], None


def _convert(text: str, kind: str) -> tuple[bool, object]:
    """The corrected value in the column's dtype; (False, None) if it cannot be read."""
    if text == "":
        return True, None
    if kind in ("text", "tier", "code"):
        return True, text
    if kind == "id":
        value = ids.normalise_number(pd.Series([text])).iloc[0]
        return (True, value) if re.fullmatch(r"[\d*]+", value or "") else (False, None)
    # Read the way staging reads the contractor's cells (separators, △ negatives, Korean dates).
    if kind in ("integer", "number"):
        number = clean.parse_number(pd.Series([text]))[0].iloc[0]
        if pd.isna(number) or (kind == "integer" and float(number) != int(number)):
            return False, None
        return True, int(number) if kind == "integer" else float(number)
    if kind == "date":
        value = clean.parse_date(pd.Series([text]))[0].iloc[0]
        return (False, None) if pd.isna(value) else (True, value)
    return False, None


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)
