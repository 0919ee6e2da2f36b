"""Text cells made safe for spreadsheets before the project writes them (xlsx or CSV).

Excel, LibreOffice and Google Sheets read a cell that starts with `=`, `+`, `-` or `@` as a
formula (`=HYPERLINK(...)` sends data to a URL, `=cmd|...` is a DDE call), and a leading tab or
carriage return is stripped by some of them before that test. A firm name or free-text answer is
data, never a formula: such a value gets a leading apostrophe (OWASP "CSV injection"), which the
spreadsheet shows as text and hides, and which a reader of the CSV can strip if it needs the
original. Numbers are not text and stay numbers: "-5" as text would be quoted, -5 as a number not.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value to write into a spreadsheet cell: text that a spreadsheet would run as a
    formula is prefixed with an apostrophe; everything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
