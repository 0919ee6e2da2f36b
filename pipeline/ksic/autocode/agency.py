"""The agency's own coded firms as training examples for the autocoder.

An agency's respondents describe their products in their own words, again and again across years;
the official index terms rarely use those words. Firms whose code the agency trusts (reported in
the target revision, converted one to one, or confirmed by an analyst) teach the model what the
words mean. The examples are a declared input (autocode.yaml `agency_examples`), written once by
`census autocode examples` and kept in the config folder: never the loaded years themselves,
whose set changes with the order of the loads.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.ksic.autocode.config import AutocodeConfig, AutocodeConfigError

EXAMPLE_COLUMNS = ["text", "code", "field", "census_year"]
# Codes the agency can trust as a label for the firm's words: not the autocoder's own guesses
# (training on them would only repeat its mistakes), not a split conversion (several subclasses).
TRUSTED_SOURCES = ("reported", "converted", "analyst")
# Which words of a firm-year become examples, by their firm_year column.
TEXT_FIELDS = {"main_products": "products", "industry_name": "industry_name"}


def example_paths(config_path: Path, config: AutocodeConfig) -> list[Path]:
    return [(Path(config_path).parent / name).resolve() for name in config.agency_examples]


def read_agency_examples(config_path: Path, config: AutocodeConfig) -> pd.DataFrame | None:
    """The declared example files as one frame (text, code), or None when none is declared.
    A missing or unreadable file, or one without the two columns, fails with one line naming it."""
    paths = example_paths(config_path, config)
    if not paths:
        return None
    frames = [_read_one(config_path, path) for path in paths]
    return pd.concat(frames, ignore_index=True)


def _read_one(config_path: Path, path: Path) -> pd.DataFrame:
    where = f"{config_path}: agency_examples {path}"
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        else:
            frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except FileNotFoundError:
        raise AutocodeConfigError(f"{where}: 파일이 없습니다 / file not found") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise AutocodeConfigError(f"{where}: 읽을 수 없습니다 / cannot be read: {first}") from None
    missing = [c for c in ("text", "code") if c not in frame.columns]
    if missing:
        raise AutocodeConfigError(f"{where}: 열이 없습니다 {missing} / missing columns {missing} (text, code are needed)")
    return frame[["text", "code"]]


def examples_from_firm_years(firm_year: pd.DataFrame, target_revision: int) -> pd.DataFrame:
    """Training examples from curated firm-years: each trusted firm-year's product words and
    업종명 with its subclass, once per distinct (text, code), most recent year first. The codes
    must be KSIC-11 subclasses, so the curated target revision must be 11."""
    if target_revision != 11:
        raise ValueError(f"ksic.target_revision {target_revision}: 예시는 KSIC-11 코드여야 합니다 / "
                         "examples need KSIC-11 codes (target revision 11)")
    trusted = firm_year["ksic_code_source"].isin(TRUSTED_SOURCES).fillna(False)
    one_code = (firm_year["ksic_code_confidence"] == 1.0).fillna(False)
    subclass = firm_year["ksic_subclass"].astype("string").str.strip()
    rows = firm_year[(trusted & one_code & subclass.str.fullmatch(r"\d{5}").fillna(False)).to_numpy(bool)]
    parts = []
    for column, field in TEXT_FIELDS.items():
        if column not in rows:
            continue
        text = rows[column].astype("string").str.strip()
        has = (text.fillna("") != "").to_numpy(bool)
        parts.append(pd.DataFrame({"text": text[has].to_numpy(), "code": subclass[rows.index][has].to_numpy(),
                                   "field": field, "census_year": rows["census_year"][has].to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=EXAMPLE_COLUMNS)
    examples = pd.concat(parts, ignore_index=True)
    examples = examples.sort_values(["census_year", "field", "code", "text"], ascending=[False, True, True, True], kind="stable")
    return examples.drop_duplicates(["text", "code"]).reset_index(drop=True)[EXAMPLE_COLUMNS]
