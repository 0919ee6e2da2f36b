"""The analyst's review of rows the autocoder abstained on, as a file round trip like corrections:

1. `review_list` + `write_review` write record_id, the firm's words (업종명, product text) and the
   suggestions to CSV (UTF-8 with BOM, opens in Excel) or xlsx, with an empty confirmed_code column.
2. The analyst fills confirmed_code (a KSIC-11 subclass; "C29223" and "29223" both work).
3. `read_confirmations` reads it back: record_id -> code, which the caller stores with
   ksic_code_source = "analyst". Rows the analyst left empty stay unreviewed; a code that is not a
   KSIC-11 subclass, or a record_id given twice with different codes, is reported row by row.

Only the words that decided the code go into the file: never names of people, phone numbers or
e-mail addresses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

REVIEW_COLUMNS = ["record_id", "industry_name", "main_products", "suggested_code", "confidence", "suggestions", "confirmed_code", "note"]
# Korean headers an analyst may have typed instead (as in corrections files).
_HEADER_ALIASES = {"레코드id": "record_id", "업종명": "industry_name", "주요제품": "main_products", "생산품": "main_products",
                   "확정코드": "confirmed_code", "확인코드": "confirmed_code", "비고": "note"}
ISSUE_COLUMNS = ["file_row", "record_id", "value", "message_ko", "message_en"]


class ReviewFileError(ValueError):
    """The review file cannot be read at all (missing, wrong format, no record_id/confirmed_code)."""


def review_list(record_ids: pd.Series, names: pd.Series, products: pd.Series | None, coded: pd.DataFrame) -> pd.DataFrame:
    """Rows the autocoder abstained on, in the review file's columns."""
    mask = coded["abstained"].astype(bool)
    products = products if products is not None else pd.Series(None, index=names.index, dtype="object")
    best = coded["alternatives"].fillna("").str.split(":").str[0]
    return pd.DataFrame({
        "record_id": record_ids[mask].astype("string"),
        "industry_name": names[mask].astype("string"),
        "main_products": products[mask].astype("string"),
        "suggested_code": best[mask].replace("", pd.NA).astype("string"),
        "confidence": coded["confidence"][mask],
        "suggestions": coded["alternatives"][mask],
        "confirmed_code": pd.array([pd.NA] * int(mask.sum()), dtype="string"),
        "note": pd.array([pd.NA] * int(mask.sum()), dtype="string"),
    }).reset_index(drop=True)


def write_review(path: Path, review: pd.DataFrame) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        review[REVIEW_COLUMNS].to_excel(path, index=False, sheet_name="review")
    elif path.suffix.lower() == ".csv":
        review[REVIEW_COLUMNS].to_csv(path, index=False, encoding="utf-8-sig")
    else:
        raise ReviewFileError(f"{path.name}: .csv 또는 .xlsx만 씁니다 / review files are .csv or .xlsx")
    return path


def read_confirmations(path: Path, known_codes: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(confirmed: record_id, code — one row per confirmed record; issues: file_row, record_id,
    value, message_ko, message_en — rows that could not be used)."""
    table = _read_table(Path(path))
    issues: list[dict] = []
    confirmed: dict[str, tuple[str, int]] = {}
    for file_row, (record_id, value) in enumerate(zip(table.record_id, table.confirmed_code, strict=True), start=2):
        value = (value or "").strip()
        record_id = (record_id or "").strip()
        if not value:
            continue
        if not record_id:
            issues.append(_issue(file_row, record_id, value, "record_id가 비어 있습니다", "record_id is empty"))
            continue
        code = re.sub(r"^[A-Za-z]", "", re.sub(r"[\s\-.]", "", value))
        if code not in known_codes:
            issues.append(_issue(file_row, record_id, value, "KSIC-11 세세분류 코드가 아닙니다",
                                 "not a KSIC-11 subclass code"))
            continue
        if record_id in confirmed and confirmed[record_id][0] != code:
            issues.append(_issue(file_row, record_id, value, f"{confirmed[record_id][1]}행과 다른 코드입니다",
                                 f"contradicts row {confirmed[record_id][1]}"))
            continue
        confirmed[record_id] = (code, file_row)
    out = pd.DataFrame({"record_id": pd.array(list(confirmed), dtype="string"),
                        "code": pd.array([c for c, _ in confirmed.values()], dtype="string")})
    return out, pd.DataFrame(issues, columns=ISSUE_COLUMNS)


def _issue(file_row: int, record_id: str, value: str, ko: str, en: str) -> dict:
    return {"file_row": file_row, "record_id": record_id or None, "value": value, "message_ko": ko, "message_en": en}


def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise ReviewFileError(f"{path}: 파일이 없습니다 / file not found")
    try:
        if path.suffix.lower() == ".xlsx":
            table = pd.read_excel(path, dtype=str)
        else:
            for encoding in ("utf-8-sig", "cp949"):
                try:
                    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ReviewFileError(f"{path.name}: UTF-8도 CP949도 아닙니다 / neither UTF-8 nor CP949")
    except (ValueError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        if isinstance(exc, ReviewFileError):
            raise
        raise ReviewFileError(f"{path.name}: 읽을 수 없습니다 / cannot be read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    table.columns = [_HEADER_ALIASES.get(str(c).strip().lower(), str(c).strip().lower()) for c in table.columns]
    missing = [c for c in ("record_id", "confirmed_code") if c not in table.columns]
    if missing:
        raise ReviewFileError(f"{path.name}: 열이 없습니다 {missing} / missing columns {missing}")
    return table[["record_id", "confirmed_code"]].astype(object).where(table[["record_id", "confirmed_code"]].notna(), "")
