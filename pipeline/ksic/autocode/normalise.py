"""Text normalisation shared by the name dictionary and the text model.

Registers write the same industry name in many ways: "컴퓨터 제조업 외 2 종", "컴퓨터제조업외2종",
full-width characters from old HWP exports. Both the exact-match key and the model input are built
here so that training and prediction see text the same way.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

# " 외 4 종", " 외4종", "외 10종" at the end: the register's count of secondary industries.
_OTHER_INDUSTRIES = re.compile(r"\s*외\s*\d+\s*종\s*$")
# Everything that is not a letter, digit or Hangul syllable/jamo is noise for matching.
_NOT_WORD = re.compile(r"[^0-9a-z\uac00-\ud7a3\u3131-\u318e]+")


def strip_other_industries(text: str) -> str:
    return _OTHER_INDUSTRIES.sub("", text)


def name_key(value: object) -> str:
    """Exact-match key of an industry name: NFKC, " 외 N종" removed, lower case, spaces and
    punctuation removed. "" for a missing value."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFKC", value).strip().lower()
    text = strip_other_industries(text)
    return _NOT_WORD.sub("", text)


def model_text(value: object) -> str:
    """Model input: NFKC, lower case, " 외 N종" removed, punctuation to single spaces (word
    boundaries matter for character n-grams of product lists such as "모자, 사원복 등")."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFKC", value).strip().lower()
    text = strip_other_industries(text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def text_series(values: pd.Series) -> pd.Series:
    """model_text over a column, computed once per distinct value."""
    uniques = pd.unique(values.astype(object))
    mapped = {v: model_text(v) for v in uniques}
    return values.astype(object).map(mapped).fillna("")
