"""Remove contact details and registration numbers that respondents type into free-text
answers (e.g. main products "금형 (문의 010-1234-5678)")."""

from __future__ import annotations

import re

REPLACEMENT = "[삭제]"
_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail
    re.compile(r"(?<!\d)0\d{1,2}[-.) ]?\d{3,4}[-. ]?\d{4}(?!\d)"),  # phone
    re.compile(r"(?<!\d)\d{6}-?\d{7}(?!\d)"),  # 법인등록번호
    re.compile(r"(?<!\d)\d{3}-?\d{2}-?\d{5}(?!\d)"),  # 사업자등록번호
]


def scrub_text(value: object) -> object:
    if not isinstance(value, str):
        return value
    for pattern in _PATTERNS:
        value = pattern.sub(REPLACEMENT, value)
    return value
