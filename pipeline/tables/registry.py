"""The table registry: pipeline/tables/tables.yaml and views.yaml, with the column groups that
depend on the agency's config expanded (canonical columns, taxonomies, value chains).

    registry = table_registry(settings)
    registry.table("firm_year").arrow_schema()
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.ksic.reference import LEVELS
from pipeline.tables.spec import (
    DISCLOSURES,
    LAYERS,
    PARTITION,
    RESEARCH_TRANSFORMS,
    ColumnSpec,
    LabelTable,
    TableSpec,
    ViewSpec,
)

HERE = Path(__file__).resolve().parent
CANONICAL_TYPES = {"text": "text", "id": "id", "code": "code", "integer": "integer", "number": "number",
                   "date": "date", "tier": "tier", "bool": "bool", "timestamp": "timestamp"}


class RegistryError(ValueError):
    """The registry or a config file it expands is inconsistent (names the file and the entry)."""


@dataclass(frozen=True)
class TableRegistry:
    tables: dict[str, TableSpec]
    views: dict[str, ViewSpec]
    label_tables: dict[str, LabelTable]
    shared_columns: dict[str, ColumnSpec]
    legacy_names: dict[str, str]  # old firm_year column name -> current name

    def table(self, name: str) -> TableSpec:
        if name not in self.tables:
            raise RegistryError(f"'{name}' is not a table of the registry (pipeline/tables/tables.yaml)")
        return self.tables[name]

    def layer(self, layer: str) -> list[TableSpec]:
        return [t for t in self.tables.values() if t.layer == layer]

    @property
    def query_tables(self) -> list[TableSpec]:
        return [t for t in self.tables.values() if t.in_query_database]

    @property
    def research_tables(self) -> list[TableSpec]:
        return [t for t in self.tables.values() if t.research]

    def column_doc(self, relation: str, column: str) -> ColumnSpec | None:
        """The description of a column of a table, view or label table (None if none)."""
        if relation in self.tables:
            return self.tables[relation].column(column)
        if relation in self.label_tables:
            return self.shared_columns.get(column)
        view = self.views.get(relation)
        if view is None:
            return None
        if column in view.columns:
            return view.columns[column]
        for source in view.sources:
            found = self.column_doc(source, column)
            if found:
                return found
        if column in self.shared_columns:
            return self.shared_columns[column]
        if column in self.legacy_names:
            current = self.column_doc(relation, self.legacy_names[column])
            if current:
                return ColumnSpec(column, current.type, current.disclosure, f"{current.label_ko} (이전 이름)",
                                  f"{current.label_en} (previous name of {self.legacy_names[column]})")
        return self._previous(relation, column)

    def _previous(self, relation: str, column: str) -> ColumnSpec | None:
        """prev_<column> of a panel view: the column's description, in the previous census year."""
        if not column.startswith("prev_"):
            return None
        base = self.column_doc(relation, column[len("prev_"):])
        if base is None:
            return None
        return ColumnSpec(column, base.type, base.disclosure, f"직전 조사연도 {base.label_ko}",
                          f"{base.label_en}, previous census year")

    def relation_doc(self, name: str) -> tuple[str, str] | None:
        for group in (self.tables, self.views, self.label_tables):
            if name in group:
                return group[name].label_ko, group[name].label_en
        return None


def table_registry(settings) -> TableRegistry:
    """The registry as the agency's config shapes it."""
    return _build(settings.config_dir, settings.agency.region_ko, settings.ksic.target_revision,
                  settings.ksic.comparison_revision)


@lru_cache(maxsize=8)
def _build(config_dir: Path, region: str | None, target: int, comparison: int) -> TableRegistry:
    tables_file, views_file = HERE / "tables.yaml", HERE / "views.yaml"
    spec = _yaml(tables_file)
    groups = {
        "provenance": lambda: _canonical(config_dir, "provenance"),
        "canonical": lambda: _canonical(config_dir, "columns"),
        "classification": lambda: _classification(spec["classification"], config_dir, region),
        "tier_chains": lambda: _tier_chains(config_dir),
    }
    extra = _yaml(views_file)
    shared = {c: _column(c, s, views_file) for c, s in (extra.get("columns") or {}).items()}
    # A column a table lists without labels takes them from the canonical catalogue or the
    # shared columns (source_file, firm_id, ...), so one description serves every table.
    known = {c.name: c for c in groups["provenance"]() + groups["canonical"]()} | shared
    tables = {name: _table(name, body, groups, tables_file, known) for name, body in spec["tables"].items()}
    views = {n: ViewSpec(n, v["label_ko"], v["label_en"], tuple(v.get("from") or ()),
                         {c: _column(c, s, views_file) for c, s in (v.get("columns") or {}).items()})
             for n, v in (extra.get("views") or {}).items()}
    labels = {n: LabelTable(n, v["label_ko"], v["label_en"], tuple((str(r["code"]), r["label_ko"], r["label_en"]) for r in v["rows"]))
              for n, v in (extra.get("code_labels") or {}).items()}
    labels.update(_taxonomy_label_tables(config_dir, region))
    labels.update(_config_label_tables(config_dir))
    unknown = sorted({f"{t.name}.{c.name} -> {c.labels}" for t in tables.values() for c in t.columns
                      if c.labels and c.labels not in labels})
    if unknown:
        raise RegistryError(f"{tables_file.name}: columns name label tables that do not exist: {', '.join(unknown)}")
    return TableRegistry(tables, views, labels, shared, _legacy(spec.get("legacy_names") or {}, target, comparison))


def _yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _column(name: str, spec: dict, where: Path, base: ColumnSpec | None = None) -> ColumnSpec:
    spec = spec or {}
    kind = spec.get("type") or (base.type if base else "text")
    disclosure = spec.get("disclosure") or (base.disclosure if base else "public")
    label_ko = spec.get("label_ko") or (base.label_ko if base else "")
    label_en = spec.get("label_en") or (base.label_en if base else "")
    if kind not in CANONICAL_TYPES:
        raise RegistryError(f"{where.name}: column '{name}' has unknown type '{kind}'")
    if disclosure not in DISCLOSURES:
        raise RegistryError(f"{where.name}: column '{name}' has unknown disclosure '{disclosure}'")
    research = spec.get("research") or (base.research if base else None)
    if research is not None and research not in RESEARCH_TRANSFORMS:
        raise RegistryError(f"{where.name}: column '{name}' has unknown research transform '{research}' "
                            f"(use {', '.join(RESEARCH_TRANSFORMS)})")
    # Every tier column holds the canonical tier values, whose label table is label_tier.
    labels = spec.get("labels") or (base.labels if base else None) or ("label_tier" if kind == "tier" else None)
    return ColumnSpec(name, kind, disclosure, label_ko, label_en, labels, research)


def _table(name: str, body: dict, groups: dict, where: Path, known: dict[str, ColumnSpec]) -> TableSpec:
    if body.get("layer") not in LAYERS:
        raise RegistryError(f"{where.name}: table '{name}' has layer {body.get('layer')!r} (use {', '.join(LAYERS)})")
    partitioned = body.get("partition", "none") == PARTITION
    columns: dict[str, ColumnSpec] = {}
    if partitioned:
        columns[PARTITION] = ColumnSpec(PARTITION, "integer", "public", "조사연도", "Census year")
    for group in body.get("include") or []:
        for col in groups[group]():
            columns[col.name] = col
    for cname, cspec in (body.get("columns") or {}).items():
        columns[cname] = _column(cname, cspec, where, base=columns.get(cname) or known.get(cname))
    missing = [c.name for c in columns.values() if not (c.label_ko and c.label_en)]
    if missing:
        raise RegistryError(f"{where.name}: table '{name}' has columns without ko/en labels: {', '.join(missing)}")
    key = tuple(body.get("key") or ())
    unknown = [k for k in key if k not in columns]
    if unknown:
        raise RegistryError(f"{where.name}: key of '{name}' names unknown columns {unknown}")
    return TableSpec(name, body["label_ko"], body["label_en"], body["layer"], partitioned, tuple(columns.values()),
                     key, bool(body.get("research", False)))


def _canonical(config_dir: Path, section: str) -> list[ColumnSpec]:
    path = config_dir / "canonical_columns.yaml"
    columns = [_column(name, spec, path) for name, spec in (_yaml(path).get(section) or {}).items()]
    if section != "columns":
        return columns
    # Text of the delivery is typed by respondents: it reaches researchers only where a table
    # says how (research: free_text or coded); see RESEARCH_TRANSFORMS.
    return [replace(c, research="omit") if c.type == "text" and c.research is None else c for c in columns]


def _classification(entries: list, config_dir: Path, region: str | None) -> list[ColumnSpec]:
    out: list[ColumnSpec] = []
    where = HERE / "tables.yaml"
    for entry in entries:
        if entry == "themes":
            out += _theme_columns(config_dir, region)
        elif isinstance(entry, dict) and entry.get("family") == "ksic_conversion":
            for prefix, (ko, en) in entry["prefixes"].items():
                out += [ColumnSpec(f"{prefix}_code", "code", "public", f"{ko} 변환 코드", f"KSIC code converted to the {en}"),
                        ColumnSpec(f"{prefix}_relation", "text", "public", f"{ko} 변환 관계", f"Conversion relation to the {en} (1:1, split, ...)"),
                        ColumnSpec(f"{prefix}_candidates", "text", "public", f"{ko} 변환 후보 코드", f"Candidate codes of a split ({en})"),
                        ColumnSpec(f"{prefix}_unresolved", "bool", "public", f"{ko} 변환 미확정", f"Conversion to the {en} unresolved")]
        elif isinstance(entry, dict) and entry.get("family") == "ksic_hierarchy":
            levels = {"section": ("대분류", "section"), "division": ("중분류", "division"), "group": ("소분류", "group"),
                      "class": ("세분류", "class"), "subclass": ("세세분류", "subclass")}
            for prefix, (ko, en) in entry["prefixes"].items():
                for level in LEVELS:
                    lko, len_ = levels[level]
                    out += [ColumnSpec(f"{prefix}_{level}", "code", "public", f"{ko} {lko} 코드", f"{en} {len_} code"),
                            ColumnSpec(f"{prefix}_{level}_ko", "text", "public", f"{ko} {lko} 명칭", f"{en} {len_} name (Korean)"),
                            ColumnSpec(f"{prefix}_{level}_en", "text", "public", f"{ko} {lko} 영문명칭", f"{en} {len_} name (English)")]
        else:
            (name, spec), = entry.items()
            out.append(_column(name, spec, where))
    return out


def _taxonomies(config_dir: Path, region: str | None) -> tuple[dict, ...]:
    from pipeline.classify.themes import load_taxonomies

    return load_taxonomies(config_dir / "taxonomies", region)


def _theme_columns(config_dir: Path, region: str | None) -> list[ColumnSpec]:
    out = []
    for tax in _taxonomies(config_dir, region):
        label = f"label_{tax['key']}"
        if tax["kind"] == "exclusive":
            out.append(ColumnSpec(tax["column"], "text", "public", tax["label_ko"], tax["label_en"], label))
            continue
        for key, cat in tax["categories"].items():
            out.append(ColumnSpec(f"{tax['column_prefix']}{key}", "bool", "public", f"{tax['label_ko']}: {cat['label_ko']}",
                                  f"{tax['label_en']}: {cat['label_en']}"))
        if tax.get("any_column"):
            out.append(ColumnSpec(tax["any_column"], "bool", "public", f"{tax['label_ko']} 해당", f"{tax['label_en']} (any)"))
    return out


def theme_flag_columns(registry_settings) -> list[str]:
    """The boolean theme columns (root_*, mpe_*, ...) of firm_year, for the firm_year_theme view."""
    region = registry_settings.agency.region_ko
    return [f"{t['column_prefix']}{k}" for t in _taxonomies(registry_settings.config_dir, region)
            if t["kind"] == "flags" for k in t["categories"]]


def _taxonomy_label_tables(config_dir: Path, region: str | None) -> dict[str, LabelTable]:
    out = {}
    for tax in _taxonomies(config_dir, region):
        prefix = tax.get("column_prefix", "") if tax["kind"] == "flags" else ""
        rows = tuple((f"{prefix}{key}", c["label_ko"], c["label_en"]) for key, c in tax["categories"].items())
        if rows:
            name = f"label_{tax['key']}"
            out[name] = LabelTable(name, f"{tax['label_ko']} 코드표", f"{tax['label_en']}: codes", rows)
    return out


def _config_label_tables(config_dir: Path) -> dict[str, LabelTable]:
    """Label tables of the codes the agency's config defines: the value chains of the OEM
    registry and the employee size bands (their labels follow the config, never a copy)."""
    from pipeline.config import read_config
    from pipeline.config.classification_files import FirmSizeFile
    from pipeline.config.names_file import RegistryFile

    chains = read_config(config_dir / "oem_registry.yaml", RegistryFile).chains
    bands = read_config(config_dir / "classification" / "firm_size.yaml", FirmSizeFile).employee_bands
    return {
        "label_value_chain": LabelTable("label_value_chain", "가치사슬 코드표", "Value chain codes", tuple(
            (key, chain.label_ko or key, chain.label_en or key) for key, chain in chains.items())),
        "label_employee_band": LabelTable("label_employee_band", "종사자 규모 코드표", "Employee size band codes", tuple(
            (band.label, f"{band.min}~{band.max}명" if band.max is not None else f"{band.min}명 이상",
             f"{band.min}-{band.max} employees" if band.max is not None else f"{band.min} or more employees")
            for band in bands)),
    }


def _tier_chains(config_dir: Path) -> list[ColumnSpec]:
    from pipeline.supply.registry import registry_chains

    return [ColumnSpec(f"tier_{chain}", "integer", "public", f"가치사슬별 추정 차수 ({chain})", f"Tier inferred in the {chain} chain")
            for chain in registry_chains(config_dir / "oem_registry.yaml")]


def _legacy(templates: dict, target: int, comparison: int) -> dict[str, str]:
    out = {}
    for old, new in templates.items():
        for level in LEVELS:
            for suffix in ("", "_ko", "_en"):
                if "{level}" in old:
                    out[old.format(target=target, comparison=comparison, level=level, suffix=suffix)] = new.format(level=level, suffix=suffix)
        if "{what}" in old:
            for what in ("code", "relation", "candidates", "unresolved"):
                out[old.format(target=target, comparison=comparison, what=what)] = new.format(what=what)
    return out
