"""One-line Korean/English messages for a config file that does not match its model.

A typo in a config file must stop the run at load with the file and the key named, never with a
traceback or, worse, a silently ignored setting.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

# pydantic error type -> what the analyst is told.
_MESSAGES = {
    "extra_forbidden": "알 수 없는 항목입니다 / unknown key",
    "missing": "필수 항목이 없습니다 / required key missing",
}
_SHOWN_ERRORS = 3


class ConfigError(ValueError):
    """A config file is unreadable or does not match its model; the message is one line."""


def config_label(path: Path) -> str:
    """The file as the analyst knows it: from its `config/` (or `expectations/`) folder on, e.g.
    config/classification/firm_size.yaml; the full path for a file outside both."""
    parts = Path(path).parts
    for folder in ("config", "expectations"):
        if folder in parts:
            start = len(parts) - 1 - parts[::-1].index(folder)
            return "/".join(parts[start:])
    return str(path)


def describe(label: str, error: ValidationError) -> str:
    """`config/validation.yaml: thresholds.blocking_eror_share: 알 수 없는 항목입니다 / unknown key`,
    the first few problems joined on one line."""
    # A typo shows as an unknown key and, for a required one, a missing key: the unknown key
    # (what the analyst wrote) first.
    errors = sorted(error.errors(), key=lambda item: item["type"] != "extra_forbidden")
    problems = []
    for item in errors[:_SHOWN_ERRORS]:
        where = ".".join(str(p) for p in item["loc"]) or "(file)"
        text = _MESSAGES.get(item["type"]) or f"값이 올바르지 않습니다 / invalid value: {item['msg'].removeprefix('Value error, ')}"
        problems.append(f"{where}: {text}")
    more = len(errors) - _SHOWN_ERRORS
    if more > 0:
        problems.append(f"외 {more}건 / {more} more")
    return f"{label}: " + "; ".join(problems)
