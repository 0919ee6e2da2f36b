"""The shape of a layout file (config/layouts/*.yaml), checked on load with pydantic so that a
typo ("headres:", a unit that does not exist) stops with one line naming the file and the key
instead of a traceback. What the keys mean is documented in pipeline/layouts.py."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

MoneyUnit = Literal["krw", "thousand_krw", "mil_krw", "hundred_mil_krw"]


def _as_list(value):
    """A single header may be written without brackets: `headers: 업체명`."""
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, list):
        return [str(v) for v in value]
    return value


class ColumnFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    headers: list[str] | None = None
    fallback: list[str] | None = None
    sum_of: list[str] | None = None
    constant: str | None = None
    values: dict[str, str] | None = None
    unit: MoneyUnit | None = None
    required: bool = False

    _lists = field_validator("headers", "fallback", "sum_of", mode="before")(_as_list)

    @field_validator("constant", mode="before")
    @classmethod
    def _constant_text(cls, value):
        return None if value is None else str(value)

    @field_validator("values", mode="before")
    @classmethod
    def _values_text(cls, value):
        # YAML reads 1: 소기업 as an integer key; the cells it is compared with are text.
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _one_source(self):
        given = [k for k in ("headers", "sum_of", "constant") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("headers, sum_of, constant 중 정확히 하나가 필요합니다 / "
                             "needs exactly one of headers, sum_of, constant")
        if self.fallback and not self.headers:
            raise ValueError("fallback 은 headers 와 함께 씁니다 / fallback goes with headers")
        return self


class LayoutFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    ksic_revision: int | None = None
    skip_first_cell: list[str] | None = None
    columns: dict[str, ColumnFile]

    _skip = field_validator("skip_first_cell", mode="before")(_as_list)


_KO = {
    "extra_forbidden": "알 수 없는 키입니다", "missing": "값이 없습니다", "literal_error": "허용되지 않는 값입니다",
    "int_parsing": "정수여야 합니다", "bool_parsing": "true/false 여야 합니다", "string_type": "글자여야 합니다",
    "dict_type": "키: 값 목록이어야 합니다", "list_type": "목록이어야 합니다", "model_type": "키: 값 목록이어야 합니다",
    "string_too_short": "비어 있습니다", "value_error": "값이 맞지 않습니다",
}


def first_problem(error: ValidationError) -> tuple[str, str, str]:
    """(key path, Korean, English) of the first problem pydantic found, for a one-line message."""
    e = error.errors()[0]
    key = ".".join(str(p) for p in e["loc"]) or "(파일 전체 / whole file)"
    english = e["msg"].removeprefix("Value error, ")
    if e["type"] == "value_error" and " / " in english:  # our own bilingual message
        ko, en = english.split(" / ", 1)
        return key, ko, en
    if e["type"] == "literal_error":
        english = f"{english} (got {e.get('input')!r})"
    return key, _KO.get(e["type"], "형식이 맞지 않습니다"), english
