"""Assemble the yearly report from the internal database and write it to
data/curated/reports/<year>/: the internal edition (with the data-quality annex) and the
publication edition (공표용, without it), each as an Excel workbook and a self-contained HTML page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.disclosure.collapse import choose_collapse, relabel
from pipeline.disclosure.rules import DisclosureRules, load_rules
from pipeline.disclosure.tabulate import TOTAL_LABEL
from pipeline.reports.cartogram import attach_map
from pipeline.reports.config import Dimension, ReportConfig, Section, load_report_config
from pipeline.reports.data import cluster_member_frame, quality_summary, report_frame, screening_frame
from pipeline.reports.excel import write_editions
from pipeline.reports.html import chart_svgs, render_pages, write_page
from pipeline.reports.network import attach_network
from pipeline.reports.screening import screening_table
from pipeline.reports.tables import (
    Breakdown,
    PublishedTable,
    YearlyReport,
    births_closures_table,
    breakdown_table,
    category_series,
    cross_table,
    dimension_rows,
    has_columns,
    hidden,
    is_number,
    one_way,
    theme_table,
    trend_table,
)
from pipeline.settings import Settings

log = logging.getLogger(__name__)
PUBLIC_SUFFIX = "_공표용"


@dataclass(frozen=True)
class ReportFiles:
    year: int
    excel: Path
    html: Path
    suppressed_cells: int
    primary_cells: int
    tables: int
    public_excel: Path | None = None
    public_html: Path | None = None
    hidden_firm_share: float = 0.0  # share of firm-table entries in a category with a hidden value
    skipped_sections: tuple[str, ...] = ()


def report_columns(config: ReportConfig) -> set[str]:
    """Every firm_year (or supplier_tier) column a table of the report reads: the year, the
    breakdowns and their filters, the measures, the themes, and the reported tier that stands
    in for final_tier when tiers are not built."""
    out = {config.columns.year, "self_reported_tier"}
    for d in config.dimensions.values():
        out |= set(d.source_columns) | ({d.filter.column} if d.filter else set())
    out |= {m.column for m in config.measures.values() if m.column}
    out |= {c for t in config.themes.values() for c in [t.any, *t.parts]}
    return out


def _dim_col(key: str) -> str:
    return f"_dim_{key}"


class _Context:
    """The year's rows with every dimension's published category, and the merges chosen."""

    def __init__(self, frame: pd.DataFrame, year: int, config: ReportConfig, rules: DisclosureRules):
        self.config, self.rules, self.year = config, rules, year
        ycol = config.columns.year
        this_year = frame[frame[ycol] == year]
        self.usable = {k for k, d in config.dimensions.items() if has_columns(this_year, d)}
        frame = frame.copy()
        # Every table groups by the firm key: integer codes group many times faster than ids as text.
        codes, keys = pd.factorize(frame["firm_key"])
        frame["firm_key"] = codes
        self.firm_keys = pd.Index(keys)  # code -> the database's firm key (to join tables keyed by firm id)
        self.screened = self.members = None  # the year's screening and cluster members, when sections need them
        for key in self.usable:
            frame[_dim_col(key)] = category_series(frame, config.dimensions[key])
        # Only what the tables read: every table copies and groups its rows, and firm_year has
        # over a hundred columns.
        keep = {ycol, "firm_key"} | {_dim_col(k) for k in self.usable}
        keep |= {m.column for m in config.measures.values() if m.column}
        keep |= {c for t in config.themes.values() for c in [t.any, *t.parts]}
        keep |= {d.filter.column for d in config.dimensions.values() if d.filter}
        frame = frame[[c for c in frame.columns if c in keep]]
        self.collapsed: dict[str, dict[str, str]] = {}
        this = frame[frame[ycol] == year]
        for key in self.usable:
            measures = sorted({m for s in config.sections if s.dimension == key for m in s.measures} | {"firms"})
            columns = [config.measures[m].column for m in measures]
            rows = dimension_rows(this, config.dimensions[key])
            mapping = choose_collapse(rows, _dim_col(key), columns, rules, rules.collapse.get(key))
            self.collapsed[key] = mapping
            if mapping:
                frame[_dim_col(key)] = relabel(frame[_dim_col(key)], mapping)
        self.frame = frame
        self.this = frame[frame[ycol] == year]
        earlier = sorted(int(y) for y in frame[ycol].unique() if y < year)
        self.prev_year = earlier[-1] if earlier else None
        self.prev = frame[frame[ycol] == self.prev_year] if self.prev_year else None

    def rows(self, key: str, which: pd.DataFrame) -> pd.DataFrame:
        return dimension_rows(which, self.config.dimensions[key])


def _linked_margins(ctx: _Context, crosses: list[Section], one_way_dims: set[str], rows: pd.DataFrame,
                    max_rounds: int = 20) -> dict[str, frozenset]:
    """Categories whose firm count must be hidden in every table of a dimension because a
    linked cross table hides the same margin (else it is read off the other table), and the
    other way round. Repeats until the patterns agree."""
    firms = ctx.config.measures["firms"]
    forced: dict[str, frozenset] = {k: frozenset() for k in ctx.usable}
    for _ in range(max_rounds):
        changed = False
        for s in crosses:
            r, c = ctx.config.dimensions[s.rows], ctx.config.dimensions[s.cols]
            frame = ctx.rows(s.cols, ctx.rows(s.rows, rows))
            hr = hc = frozenset()
            if s.rows in one_way_dims:
                hr = hidden(one_way(frame, _dim_col(s.rows), firms, ctx.rules, r, ctx.collapsed[s.rows], forced[s.rows]).published.iloc[:, 0], ctx.rules.symbol)
            if s.cols in one_way_dims:
                hc = hidden(one_way(frame, _dim_col(s.cols), firms, ctx.rules, c, ctx.collapsed[s.cols], forced[s.cols]).published.iloc[:, 0], ctx.rules.symbol)
            t = cross_table(frame, _dim_col(s.rows), _dim_col(s.cols), r, c, ctx.rules, s.key, s.sheet,
                            ctx.collapsed[s.rows], ctx.collapsed[s.cols], hr, hc)
            for key, found in ((s.rows, hidden(t.frame[TOTAL_LABEL], ctx.rules.symbol)),
                               (s.cols, hidden(t.frame.loc[TOTAL_LABEL], ctx.rules.symbol))):
                if key in one_way_dims and not found <= forced[key]:
                    forced[key] = forced[key] | found
                    changed = True
        if not changed:
            return forced
    raise RuntimeError("linked tables did not agree on a suppression pattern")


def _title(s: Section, ko: str, en: str) -> tuple[str, str]:
    return s.title_ko or ko, s.title_en or en


def _build_section(s: Section, ctx: _Context, forced: dict[str, frozenset], rules: DisclosureRules,
                   prev_forced: dict[str, frozenset] | None = None) -> PublishedTable | None:
    cfg = ctx.config
    measures = [cfg.measures[m] for m in s.measures]
    chart = [cfg.measures[m].label_ko for m in s.chart]
    if s.kind in ("breakdown", "map"):
        if s.dimension not in ctx.usable:
            return None
        dim = cfg.dimensions[s.dimension]
        default = (f"{dim.label_ko}별 " + "·".join(m.label_ko.split("(")[0] for m in measures),
                   f"{', '.join(m.label_en for m in measures)} by {dim.label_en}")
        ko, en = _title(s, *default)
        spec = Breakdown(s.key, ko, en, s.sheet, dim, measures, [cfg.ratios[r] for r in s.ratios], chart or [measures[0].label_ko],
                         s.chart_sort)
        prev = ctx.rows(s.dimension, ctx.prev) if (s.change and ctx.prev is not None) else None
        table = breakdown_table(ctx.rows(s.dimension, ctx.this), _dim_col(s.dimension), spec, rules, ctx.collapsed[s.dimension],
                                forced.get(s.dimension, frozenset()), prev, cfg.measures,
                                (prev_forced or {}).get(s.dimension, frozenset()))
        if s.kind == "map":
            attach_map(table, dim, measures, rules)
        return table
    if s.kind == "themes":
        themes = [cfg.themes[t] for t in s.themes]
        ko, en = _title(s, "소부장·뿌리산업·지역전략산업 기업 현황", "Materials/parts/equipment, root and strategic industries")
        table = theme_table(ctx.this, themes, measures, rules, s.key, s.sheet, ko, en, chart or [measures[0].label_ko])
        table.chart_sort = s.chart_sort
        return table if len(table.frame) else None
    if s.kind == "cross":
        if s.rows not in ctx.usable or s.cols not in ctx.usable:
            return None
        frame = ctx.rows(s.cols, ctx.rows(s.rows, ctx.this))
        return cross_table(frame, _dim_col(s.rows), _dim_col(s.cols), cfg.dimensions[s.rows], cfg.dimensions[s.cols], rules,
                           s.key, s.sheet, ctx.collapsed[s.rows], ctx.collapsed[s.cols], forced.get(s.rows, frozenset()),
                           forced.get(s.cols, frozenset()))
    if s.kind == "trend":
        t = trend_table(ctx.frame, cfg.columns.year, measures, rules, s.sheet)
        t.key = s.key
        return t
    if s.kind == "births":
        if s.dimension not in ctx.usable:
            return None
        prev = ctx.prev if ctx.prev is not None else ctx.this.iloc[0:0]
        t = births_closures_table(ctx.this, prev, _dim_col(s.dimension), cfg.dimensions[s.dimension], rules, ctx.year,
                                  ctx.prev_year, ctx.collapsed[s.dimension], s.sheet)
        t.key = s.key
        return t
    if s.kind == "screening":
        if ctx.screened is None or ctx.screened.empty:
            return None
        ko, en = _title(s, "지원사업별 요건 검토 결과", "Support-programme screening")
        return screening_table(ctx.screened, cfg.screening, rules, s.key, s.sheet, ko, en)
    if s.kind == "network":
        return _network_section(s, ctx, rules)
    return None  # quality: not a table, see YearlyReport.quality


def _network_section(s: Section, ctx: _Context, rules: DisclosureRules) -> PublishedTable | None:
    """Member firms by mini-cluster × the dimension (the value chain they supply), protected as a
    cross table, drawn as the aggregated network. A firm in two clusters counts in both rows."""
    cfg = ctx.config
    if ctx.members is None or ctx.members.empty or s.dimension not in ctx.usable:
        return None
    dim = cfg.dimensions[s.dimension]
    codes = ctx.firm_keys.get_indexer(ctx.members["firm_key"])
    known = codes >= 0  # members linked to a firm the census does not hold this year have no category
    category = pd.Series([None] * len(codes), dtype=object)
    by_code = ctx.this.drop_duplicates("firm_key").set_index("firm_key")[_dim_col(s.dimension)]
    category[known] = by_code.reindex(codes[known]).to_numpy()
    firm = pd.Series(codes, dtype="int64").where(known, -1 - pd.Series(range(len(codes))))  # unknown: a key each
    # Counted per membership, so the margins are the sums of their cells (what complementary
    # suppression assumes); a chain whose members are fewer distinct firms than the rules ask
    # has its margin hidden even when memberships would pass.
    frame = pd.DataFrame({"firm_key": range(len(codes)), "_firm": firm.to_numpy(),
                          "_cluster": ctx.members["cluster"].astype(str).to_numpy(),
                          _dim_col(s.dimension): category.fillna(dim.missing_label).to_numpy()})
    if frame["_firm"].nunique() < rules.min_firms:
        return None  # too few firms for any published figure
    distinct = frame.groupby(_dim_col(s.dimension))["_firm"].nunique()
    few = frozenset(str(c) for c, n in distinct.items() if n < rules.min_firms)
    clusters = Dimension(column="cluster", label_ko=cfg.clusters.label_ko, label_en=cfg.clusters.label_en)
    table = cross_table(frame, "_cluster", _dim_col(s.dimension), clusters, dim, rules, s.key, s.sheet, {},
                        ctx.collapsed[s.dimension], forced_cols=few)
    table.note_ko = ("회원 기업 수는 클러스터 명단에서 조사 기업에 연결된 기업의 수(대학·연구기관·지원기관 제외). 한 기업이 두 "
                     "클러스터에 속하면 양쪽에 모두 셈(계는 회원 수의 합). 가치사슬은 협력 차수 표와 같이 주 거래처가 속한 "
                     "사슬이며, 올해 조사에 없는 회원 기업은 '" + dim.missing_label + "'.")
    table.title_ko, table.title_en = _title(s, f"{clusters.label_ko}별 회원 기업의 {dim.label_ko}",
                                            f"Member firms of each {clusters.label_en} by {dim.label_en}")
    attach_network(table, rules, clusters.label_ko, dim.label_ko)
    return table


def assemble_report(con: duckdb.DuckDBPyConnection, year: int, config: ReportConfig, rules: DisclosureRules, columns: Path,
                    agency: str, agency_en: str = "", reference_date: date | None = None) -> tuple[YearlyReport, list[str]]:
    """The internal edition of the report, and the keys of configured sections left out for
    want of data (their columns are absent or empty this year)."""
    ycol = config.columns.year
    first = year - config.trend_years + 1
    frame = report_frame(con, year, first, columns, report_columns(config), config.firm_tables)
    if frame[frame[ycol] == year].empty:
        raise ValueError(f"{year}년 자료가 없습니다 / no firm_year rows for census year {year}")
    ctx = _Context(frame, year, config, rules)
    if not ctx.usable:
        wanted = ", ".join(c for d in config.dimensions.values() for c in d.source_columns)
        raise ValueError(f"firm_year에 보고서 분류 열이 없습니다 (분류 단계 확인) / firm_year has none of the report's "
                         f"breakdown columns ({wanted}): has the classification stage run?")
    kinds = {s.kind for s in config.sections}
    if "screening" in kinds:
        sc = config.screening
        ctx.screened = screening_frame(con, year, sc.table, sc.programme, sc.result)
    if "network" in kinds:
        cl = config.clusters
        ctx.members = cluster_member_frame(con, year, cl.table, cl.cluster, cl.role, cl.firm_role)
    crosses = [s for s in config.sections if s.kind == "cross" and s.rows in ctx.usable and s.cols in ctx.usable]
    one_way_dims = {s.dimension for s in config.sections if s.kind == "breakdown" and "firms" in s.measures}
    forced = _linked_margins(ctx, crosses, one_way_dims, ctx.this)
    # last year's counts, shown beside this year's, hidden as last year's linked tables hid them
    prev_forced = _linked_margins(ctx, crosses, one_way_dims, ctx.prev) if ctx.prev is not None else {}
    tables, skipped = [], []
    for s in config.sections:
        if s.kind == "quality":
            continue
        t = _build_section(s, ctx, forced, rules, prev_forced)
        if t is None or not t.has_content(rules.symbol):
            skipped.append(s.key)
            continue
        # what the reader sees: marks shown (ratios and changes of a hidden sum included)
        t.n_suppressed = int((t.frame == rules.symbol).to_numpy().sum())
        t.n_cells = int(t.frame.size)
        tables.append(t)
    ref = (reference_date or date(year, 12, 31)).isoformat()
    fill = {"agency": agency, "agency_en": agency_en or agency, "year": year, "reference_date": ref}
    quality = quality_summary(con, year, config.load_log_columns) if any(s.kind == "quality" for s in config.sections) else {}
    if quality is not None and any(s.kind == "quality" for s in config.sections):
        quality = {"disclosure": disclosure_summary(tables), **quality}
    summary = _summary(ctx, tables, quality, config, agency, ref)
    notes = [rules.note_ko, rules.note_en,
             "금액 단위: 백만원. '-': 해당 기업 없음. 합계는 비공개 셀을 포함한 전체 값입니다.",
             "산업단지: 어느 산업단지에도 속하지 않는 기업은 '단지 외'로 표시합니다 (데이터베이스에서는 complex_name이 비어 있음).",
             config.survey.method_ko]
    merges = sorted({f"{k} → {v}" for t in tables for k, v in t.collapsed.items()})
    if merges:
        notes.append("범주 통합(비밀보호): " + ", ".join(merges) + ". 작은 범주는 비공개 대신 통합하여 공표합니다.")
    report = YearlyReport(year=year, title_ko=config.title_ko.format(year=year), title_en=config.title_en.format(year=year),
                          summary=summary, tables=tables, quality=quality, notes=[n for n in notes if n],
                          source_ko=config.source_ko.format(**fill), source_en=config.source_en.format(**fill),
                          marks=(rules.symbol, rules.empty_symbol))
    return report, skipped


def _summary(ctx: _Context, tables: list[PublishedTable], quality: dict, config: ReportConfig, agency: str, ref: str) -> list:
    firms = int(ctx.this["firm_key"].nunique())
    out: list[tuple[str, object]] = [("조사연도", str(ctx.year)), ("조사기관", agency), ("조사 기준일", ref),
                                     ("작성일", date.today().isoformat())]
    log_rows = quality.get("load_log")
    if log_rows is not None and len(log_rows) and "rows_read" in log_rows.columns:
        out.append(("접수 응답 수(원본 행)", int(pd.to_numeric(log_rows["rows_read"], errors="coerce").fillna(0).iloc[-1])))
    out.append(("집계 기업 수", firms))
    population = config.survey.population_by_year.get(ctx.year)
    if population:
        out += [("모집단 기업 수", int(population)), ("응답률(%)", round(firms / population * 100, 1))]
    first = next((t for t in tables if t.frame.shape[1] and "계" in t.frame.index), None)
    if first is not None:
        for m in ("employees", "revenue"):
            label = config.measures[m].label_ko
            value = first.frame.loc[TOTAL_LABEL].get(label)
            if is_number(value):
                out.append((label, value))
    births = next((t for t in tables if t.key == "births"), None)
    if births is not None:
        out += [(label, value) for label, value in births.frame.loc[TOTAL_LABEL].items()]
    cells = sum(t.n_cells for t in tables)
    out.append(("비공개(X) 셀 수", f"{sum(t.n_suppressed for t in tables):,} / {cells:,}"))
    share = hidden_firm_share(tables)
    out.append(("비공개 값이 있는 범주의 기업 비중", f"{share * 100:.1f}%"))
    return out


def disclosure_summary(tables: list[PublishedTable]) -> pd.DataFrame:
    """Per table: cells shown, cells hidden, firms in a category with a hidden value, merges."""
    return pd.DataFrame([{
        "표": t.title_ko, "셀 수": t.n_cells, "비공개 셀": t.n_suppressed,
        "비공개 범주의 기업": t.hidden_firms, "기업 비중(%)": round(t.hidden_firms / t.total_firms * 100, 1) if t.total_firms else 0.0,
        "범주 통합": ", ".join(f"{k}→{v}" for k, v in t.collapsed.items()),
    } for t in tables])


def hidden_firm_share(tables: list[PublishedTable]) -> float:
    """Share of firm entries (summed over tables) that sit in a category with a hidden value."""
    total = sum(t.total_firms for t in tables)
    return sum(t.hidden_firms for t in tables) / total if total else 0.0


def publication_edition(report: YearlyReport) -> YearlyReport:
    """The same report without the internal data-quality annex."""
    return YearlyReport(year=report.year, title_ko=report.title_ko, title_en=report.title_en, summary=report.summary,
                        tables=report.tables, quality={}, notes=report.notes, source_ko=report.source_ko,
                        source_en=report.source_en, internal=False, marks=report.marks)


def build_yearly_report(settings: Settings, year: int, out_dir: Path | None = None) -> ReportFiles:
    """Write 연도별 기업실태조사 결과 for `year` (internal and 공표용 editions, Excel and HTML);
    returns the paths and the suppression counts (for asset metadata)."""
    return build_yearly_reports(settings, [year], {year: out_dir} if out_dir else None)[0]


def build_yearly_reports(settings: Settings, years: list[int], out_dirs: dict[int, Path] | None = None) -> list[ReportFiles]:
    """The reports of several census years in one go, each exactly as build_yearly_report writes
    it: the configuration, the database connection, the chart fonts and the font subsets are
    set up once (one process step for every year instead of one per year)."""
    config = load_report_config(settings)
    rules = load_rules(settings)
    agency = settings.section("agency")
    out = []
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        for year in years:
            report, skipped = assemble_report(con, year, config, rules, settings.columns_path, agency.get("name_ko", ""),
                                              agency.get("name_en", ""), settings.reference_date(year))
            out_dir = (out_dirs or {}).get(year) or settings.reports_dir / str(year)
            out.append(_write_report(report, skipped, config, out_dir))
    return out


def _write_report(report: YearlyReport, skipped: list[str], config: ReportConfig, out_dir: Path) -> ReportFiles:
    year = report.year
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{year}_기업실태조사_결과"
    excel, public_excel = write_editions(report, out_dir / f"{stem}.xlsx", out_dir / f"{stem}{PUBLIC_SUFFIX}.xlsx", config)
    public = publication_edition(report)
    # the publication edition has the same tables, so the same charts, and shares the font subset
    page, public_page = render_pages([report, public], chart_svgs(report))
    html = write_page(page, out_dir / f"{stem}.html")
    public_html = write_page(public_page, out_dir / f"{stem}{PUBLIC_SUFFIX}.html")
    if skipped:
        log.info("report %s: sections without data left out: %s", year, ", ".join(skipped))
    log.info("report %s: %d tables, %d cells suppressed", year, len(report.tables), report.suppressed_cells)
    return ReportFiles(year, excel, html, report.suppressed_cells, report.primary_cells, len(report.tables),
                       public_excel, public_html, hidden_firm_share(report.tables), tuple(skipped))
