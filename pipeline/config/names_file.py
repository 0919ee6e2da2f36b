"""config/company_aliases.yaml and config/oem_registry.yaml: the names customers are matched on."""

from __future__ import annotations

from pydantic import Field

from pipeline.config.base import Strict


class LegalForms(Strict):
    bracketed: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)
    latin: list[str] = Field(default_factory=list)


class AliasesFile(Strict):
    # canonical name -> other spellings (an empty entry is allowed: the name alone)
    aliases: dict[str, list[str] | None] = Field(default_factory=dict)
    legal_forms: LegalForms = Field(default_factory=LegalForms)


class Oem(Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)


class Supplier(Oem):
    tier: int = Field(ge=1)


class Chain(Strict):
    label_ko: str = ""
    label_en: str = ""
    oems: list[Oem] = Field(default_factory=list)
    suppliers: list[Supplier] = Field(default_factory=list)


class RegistryFile(Strict):
    chains: dict[str, Chain] = Field(default_factory=dict)
