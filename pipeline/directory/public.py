"""Which firms and which fields may be published: firms whose publication consent is an explicit
yes, and only the public fields of those firms. Everything else (대표자명, phone, e-mail, BRN,
the full address with its building number, figures) is dropped here, before any translation,
so no later step can leak it."""

from __future__ import annotations

import unicodedata

import pandas as pd

from pipeline.directory.config import ConsentValues

CONSENT_COLUMN = "publication_consent"
# The columns a directory entry is built from. The address is kept to the road: sido, sigungu
# and road name, never the building number or the free-text address.
PUBLIC_COLUMNS = (
    "firm_name", "firm_name_en", "directory_contact",
    "addr_sido", "addr_sigungu", "addr_road",
    "complex_name", "complex_type",
    "ksic_rep_subclass", "ksic_rep_subclass_ko",
    "ksic_rep_division", "ksic_rep_division_ko", "ksic_rep_division_en",
    "ksic_rep_section", "ksic_rep_section_ko", "ksic_rep_section_en",
    "main_products",
)


def _fold(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


def consent_given(values: pd.Series, spellings: ConsentValues) -> pd.Series:
    """True where the answer is an explicit yes; blanks, no and unknown spellings are False
    (default: not published)."""
    yes = {_fold(v) for v in spellings.publish}
    return values.map(lambda v: False if v is None or (isinstance(v, float) and pd.isna(v)) else _fold(v) in yes).astype(bool)


def unknown_consent_answers(values: pd.Series, spellings: ConsentValues) -> list[str]:
    """Answers that are neither a known yes nor a known no: shown to the analyst, who adds the
    spelling to config/directory/consent_values.yaml (they count as not published meanwhile)."""
    known = {_fold(v) for v in [*spellings.publish, *spellings.withhold]}
    answers = {str(v).strip() for v in values.dropna() if str(v).strip()}
    return sorted(a for a in answers if _fold(a) not in known)


def public_records(firm_year: pd.DataFrame, spellings: ConsentValues) -> pd.DataFrame:
    """The consenting firms' public fields, one row per firm, sorted by Korean name. A frame
    without the consent column publishes nobody."""
    if CONSENT_COLUMN not in firm_year or firm_year.empty:
        return pd.DataFrame(columns=list(PUBLIC_COLUMNS))
    chosen = firm_year[consent_given(firm_year[CONSENT_COLUMN], spellings)]
    out = pd.DataFrame(index=chosen.index)
    for column in PUBLIC_COLUMNS:
        out[column] = chosen[column].astype(object) if column in chosen else None
    out = out.astype(object).where(out.notna(), None)
    out = out[out["firm_name"].map(lambda v: bool(v and str(v).strip()))]
    return out.sort_values("firm_name", kind="stable").reset_index(drop=True)
