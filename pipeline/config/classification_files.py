"""The classification config: taxonomies/*.yaml, classification/firm_size.yaml, address.yaml and
complexes.yaml."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from pipeline.config.base import Strict


class Category(Strict):
    label_ko: str
    label_en: str
    codes: list[str]


class TaxonomyFile(Strict):
    key: str
    label_ko: str
    label_en: str
    status: Literal["official", "indicative"] | None = None
    ksic_revision: int
    kind: Literal["exclusive", "flags"]
    column: str | None = None          # exclusive: the category column
    column_prefix: str = ""            # flags: prefix of each category's boolean column
    any_column: str | None = None      # flags: the "any category" column
    categories: dict[str, Category] | None = None
    regions: dict[str, dict[str, Category]] | None = None  # per-region categories (agency.region_ko)

    @model_validator(mode="after")
    def _one_category_list(self):
        if (self.categories is None) == (self.regions is None):
            raise ValueError("categories 또는 regions 중 하나가 필요합니다 / needs exactly one of categories or regions")
        if self.kind == "exclusive" and not self.column:
            raise ValueError("exclusive 분류에는 column이 필요합니다 / an exclusive taxonomy needs column")
        return self


class SizeTable(Strict):
    name: str
    effective_from: date
    ceilings: dict[str, list[float]]
    exclude: list[str] = Field(default_factory=list)


class SmallBusiness(Strict):
    employee_limit_by_section: dict[str, int] = Field(default_factory=dict)
    employee_limit_default: int


class MicroManufacturer(Strict):
    sections: list[str]
    employee_limit: int


class EmployeeBand(Strict):
    min: int
    max: int | None
    label: str


class FirmSizeFile(Strict):
    asset_cap_mil_krw: float
    large_firm_assets_mil_krw: float
    financial_sections: list[str] = Field(default_factory=list)
    tables: list[SizeTable]
    small_business: SmallBusiness
    micro_manufacturer: MicroManufacturer
    employee_bands: list[EmployeeBand]


class AddressFile(Strict):
    # official 시도 name -> the short forms respondents write
    sido: dict[str, list[str]]


class ComplexEntry(Strict):
    name: str
    kicox: str
    sigungu: str
    aliases: list[str] = Field(default_factory=list)


class ComplexesFile(Strict):
    complexes: list[ComplexEntry] = Field(default_factory=list)
    not_in_complex: list[str] = Field(default_factory=list)
    name_suffixes: list[str] = Field(default_factory=list)
    type_suffix: dict[str, str] = Field(default_factory=dict)
    # an ending that states the type written -> the KICOX type it names (지방산업단지 -> 일반)
    type_words: dict[str, str] = Field(default_factory=dict)
