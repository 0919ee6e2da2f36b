"""The published tables of the yearly report, every one under disclosure control.

Numbers in a published frame are Python ints (sums: no "1004.0") or floats rounded for ratios;
a hidden cell holds the suppression mark, a cell without firms the empty mark."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.disclosure.collapse import map_distinct
from pipeline.disclosure.protect import ProtectedTable, protect
from pipeline.disclosure.rules import DisclosureRules
from pipeline.disclosure.tabulate import TOTAL_LABEL, tabulate, tabulate_measures
from pipeline.reports.config import Dimension, Measure, Ratio

# Section titles of the data-quality part, shared by the workbook and the HTML page.
QUALITY_TITLES = {"disclosure": "표별 비공개 현황 / Suppression by table", "load_log": "적재 이력 / Load log", "quarantine": "격리(오류) / Quarantine (errors)",
                  "validation_flag": "검증 경고 / Validation warnings"}
INT_FORMAT, ONE_DECIMAL = "#,##0", "#,##0.0"


@dataclass
class PublishedTable:
    key: str
    title_ko: str
    title_en: str
    sheet: str
    frame: pd.DataFrame  # index = categories (+ 계), values = numbers or the marks
    number_formats: dict[str, str]  # column heading -> Excel number format
    n_primary: int = 0
    n_suppressed: int = 0
    n_cells: int = 0  # published cells (for the share hidden)
    hidden_firms: int = 0  # firms in a category (cell) with at least one hidden value
    total_firms: int = 0
    chart_columns: list[str] = field(default_factory=list)  # headings charted by category, one panel each
    chart_kind: str = "bar"
    chart_sort: str = "value"  # "value": each panel largest first; "order": the table's order
    note_ko: str | None = None
    collapsed: dict[str, str] = field(default_factory=dict)  # category -> published (merged) category
    picture_svg: str | None = None  # the map: drawn by pipeline/reports/cartogram.py
    picture_png: bytes | None = None
    picture_caption: str | None = None  # what the picture shows, above the source line

    @property
    def chart_column(self) -> str | None:  # the first panel (the workbook's native chart)
        return self.chart_columns[0] if self.chart_columns else None

    @property
    def has_data(self) -> bool:
        """Some category has a published number."""
        body = self.frame.drop(index=TOTAL_LABEL, errors="ignore")
        return any(is_number(v) for v in body.to_numpy().ravel())

    def has_content(self, symbol: str) -> bool:
        """Worth a sheet: a published number or a hidden one (a table of hidden cells still
        tells the reader the figures exist); not when every cell is empty."""
        return any(is_number(v) or v == symbol for v in self.frame.to_numpy().ravel())


@dataclass
class YearlyReport:
    year: int
    title_ko: str
    title_en: str
    summary: list[tuple[str, object]]
    tables: list[PublishedTable]
    quality: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    source_ko: str = ""
    source_en: str = ""
    internal: bool = True  # False: the publication variant (no quality annex)
    marks: tuple[str, ...] = ("X", "-")  # the suppression and empty marks of the disclosure rules

    @property
    def suppressed_cells(self) -> int:
        return sum(t.n_suppressed for t in self.tables)

    @property
    def primary_cells(self) -> int:
        return sum(t.n_primary for t in self.tables)


def is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def whole(published: pd.Series) -> pd.Series:
    """Sums as ints: the tabulation adds in float64, but firms, people and KRW million are counts."""
    return published.map(lambda v: int(round(v)) if is_number(v) else v).astype(object)


# ---- categories -------------------------------------------------------------------------------

def category_series(frame: pd.DataFrame, dim: Dimension) -> pd.Series:
    """The dimension's published category of every row (labels applied; None when missing)."""
    cols = dim.source_columns
    if len(cols) == 1:
        raw = frame[cols[0]]
    else:
        # "a b" for each distinct pair of values (thousands of rows, tens of areas); missing
        # when either part is
        codes, uniques = pd.factorize(frame[cols[0]].astype("object"))
        text: list[str | None] = [str(v) for v in uniques]
        for c in cols[1:]:
            part_codes, part = pd.factorize(frame[c].astype("object"))
            key = np.where((codes < 0) | (part_codes < 0), -1, codes * len(part) + part_codes)
            codes, pairs = pd.factorize(key)
            text = [None if k < 0 or text[k // len(part)] is None else f"{text[k // len(part)]} {part[k % len(part)]}"
                    for k in (int(x) for x in pairs)]
        out = np.empty(len(text), dtype=object)
        out[:] = text
        raw = pd.Series(out[codes] if len(out) else [None] * len(codes), index=frame.index, dtype=object)
    return map_distinct(raw, lambda v: dim.labels.get(str(v), str(v)))


def dimension_rows(frame: pd.DataFrame, dim: Dimension) -> pd.DataFrame:
    """The rows a dimension covers (its filter applied)."""
    if dim.filter is None:
        return frame
    codes, uniques = pd.factorize(frame[dim.filter.column])  # compared once per distinct value
    wanted = str(dim.filter.equals)
    keep = np.array([str(u) == wanted for u in uniques] + [False])  # code -1: missing, never kept
    return frame[keep[codes]]


def has_columns(frame: pd.DataFrame, dim: Dimension) -> bool:
    cols = dim.source_columns + ([dim.filter.column] if dim.filter else [])
    return all(c in frame.columns for c in cols) and dimension_rows(frame, dim)[dim.source_columns].notna().any().any()


# ---- one-way tables ---------------------------------------------------------------------------

def _order(dim: Dimension, collapsed: dict[str, str]) -> list[str]:
    out: list[str] = []
    for c in dim.order:
        c = dim.labels.get(c, c)
        c = collapsed.get(c, c)
        if c not in out:
            out.append(c)
    return out


def one_way(frame: pd.DataFrame, col: str, measure: Measure, rules: DisclosureRules, dim: Dimension,
            collapsed: dict[str, str], forced: frozenset = frozenset()) -> ProtectedTable:
    return one_ways(frame, col, [measure], rules, dim, collapsed, [forced])[0]


def one_ways(frame: pd.DataFrame, col: str, measures: list[Measure], rules: DisclosureRules, dim: Dimension,
             collapsed: dict[str, str], forced: list[frozenset] | None = None) -> list[ProtectedTable]:
    """one_way() of each measure (with its own forced categories), tabulated together."""
    tabs = tabulate_measures(frame, col, None, [m.column for m in measures], dominance_n=rules.dominance_n,
                             row_order=_order(dim, collapsed), missing_label=dim.missing_label)
    out = []
    for tab, must_hide in zip(tabs, forced or [frozenset()] * len(measures), strict=True):
        must = None
        if must_hide:
            must = pd.DataFrame({c: tab.value.index.isin(list(must_hide)) for c in tab.value.columns}, index=tab.value.index)
        out.append(protect(tab, rules, must))
    return out


def _sort_body(frame: pd.DataFrame, dim: Dimension, collapsed: dict[str, str], firms: pd.Series | None) -> pd.DataFrame:
    """Ordinal breakdowns keep their order; the others list the largest first (by the firm
    count the tabulation holds, so a hidden cell does not move), the missing and pooled rows last."""
    body = [i for i in frame.index if i != TOTAL_LABEL]
    preferred = _order(dim, collapsed)
    pooled = set(collapsed.values()) - set(preferred)
    if preferred:
        key = lambda x: (x == dim.missing_label, x not in preferred, preferred.index(x) if x in preferred else 0, x)  # noqa: E731
    else:
        size = (lambda x: -float(firms.get(x, 0))) if firms is not None else (lambda x: 0)
        key = lambda x: (x == dim.missing_label, x in pooled, size(x), x)  # noqa: E731
    body.sort(key=key)
    return frame.reindex(body + ([TOTAL_LABEL] if TOTAL_LABEL in frame.index else []))


def ratio_column(num: pd.Series, den: pd.Series, ratio: Ratio, symbol: str, empty: str) -> pd.Series:
    """A ratio of two published sums, hidden when either is hidden."""
    out = []
    for a, b in zip(num, den, strict=True):
        if a == symbol or b == symbol:
            out.append(symbol)
        elif is_number(a) and is_number(b) and b:
            out.append(round(a / b * ratio.scale, ratio.decimals) if ratio.decimals else int(round(a / b * ratio.scale)))
        else:
            out.append(empty)
    return pd.Series(out, index=num.index, dtype=object)


def change_columns(this: pd.Series, prev: pd.Series | None, symbol: str, empty: str) -> dict[str, pd.Series]:
    """The previous census year's published firm count per category and the change in percent."""
    if prev is None:
        return {}
    prev = prev.reindex(this.index).fillna(empty)
    pct = []
    for a, b in zip(this, prev, strict=True):
        if a == symbol or b == symbol:
            pct.append(symbol)
        elif is_number(a) and is_number(b) and b:
            pct.append(round((a - b) / b * 100, 1))
        else:
            pct.append(empty)
    return {"전년 기업 수": prev.astype(object), "기업 수 증감률(%)": pd.Series(pct, index=this.index, dtype=object)}


@dataclass
class Breakdown:
    """What a one-way table is built from."""

    key: str
    title_ko: str
    title_en: str
    sheet: str
    dim: Dimension
    measures: list[Measure]
    ratios: list[Ratio] = field(default_factory=list)
    chart: list[str] = field(default_factory=list)  # measure headings
    chart_sort: str = "value"


def breakdown_table(frame: pd.DataFrame, col: str, spec: Breakdown, rules: DisclosureRules, collapsed: dict[str, str],
                    forced_firms: frozenset = frozenset(), prev_frame: pd.DataFrame | None = None,
                    measures_by_key: dict[str, Measure] | None = None, prev_forced: frozenset = frozenset()) -> PublishedTable:
    """Measures side by side (each protected on its own, the firm count with the cells a linked
    table hides), then ratios of them, then the change in firms against the previous year."""
    cols: dict[str, pd.Series] = {}
    protected: list[ProtectedTable] = []
    by_key = measures_by_key or {}
    sums: dict[str, pd.Series] = {}
    firm_tab = None
    # the ratios' sums that are not columns of the table, tabulated with the columns
    shown = {m.label_ko for m in spec.measures}
    extra = list({m.label_ko: m for r in spec.ratios for m in (by_key[r.numerator], by_key[r.denominator])
                  if m.label_ko not in shown}.values())
    tables = one_ways(frame, col, [*spec.measures, *extra], rules, spec.dim, collapsed,
                      [forced_firms if m.column is None else frozenset() for m in spec.measures] + [frozenset()] * len(extra))
    for m, p in zip(spec.measures, tables, strict=False):
        protected.append(p)
        cols[m.label_ko] = whole(p.published.iloc[:, 0])
        sums[m.label_ko] = cols[m.label_ko]
        if m.column is None:
            firm_tab = p.tabulation.n_firms.iloc[:, 0]
    index = next(iter(cols.values())).index
    for m, p in zip(extra, tables[len(spec.measures):], strict=True):
        sums[m.label_ko] = whole(p.published.iloc[:, 0]).reindex(index)
    out = pd.DataFrame(cols, index=index)
    formats = {c: INT_FORMAT for c in out.columns}
    for r in spec.ratios:
        num, den = (by_key[r.numerator], by_key[r.denominator])
        out[r.label_ko] = ratio_column(sums[num.label_ko], sums[den.label_ko], r, rules.symbol, rules.empty_symbol)
        formats[r.label_ko] = ONE_DECIMAL if r.decimals else INT_FORMAT
    if firm_tab is None:  # the hidden-firms share needs counts even where the table shows none: any measure's
        firm_tab = tables[0].tabulation.n_firms.iloc[:, 0]
    if prev_frame is not None and any(m.column is None for m in spec.measures):
        firms_m = next(m for m in spec.measures if m.column is None)
        prev = (whole(one_way(prev_frame, col, firms_m, rules, spec.dim, collapsed, prev_forced).published.iloc[:, 0])
                if not prev_frame.empty else None)
        for name, series in change_columns(out[firms_m.label_ko], prev, rules.symbol, rules.empty_symbol).items():
            out[name] = series
            formats[name] = ONE_DECIMAL if name.endswith("(%)") else INT_FORMAT
    out = _sort_body(out, spec.dim, collapsed, firm_tab)
    out.index.name = None
    return PublishedTable(
        key=spec.key, title_ko=spec.title_ko, title_en=spec.title_en, sheet=spec.sheet, frame=out, number_formats=formats,
        n_primary=sum(p.n_primary for p in protected), n_suppressed=sum(p.n_suppressed for p in protected),
        n_cells=sum(p.published.size for p in protected),
        hidden_firms=_hidden_firms(out, firm_tab, rules.symbol), total_firms=int(firm_tab.get(TOTAL_LABEL, 0)),
        chart_columns=spec.chart, chart_sort=spec.chart_sort, collapsed=collapsed)


def _hidden_firms(published: pd.DataFrame, firms: pd.Series, symbol: str) -> int:
    rows = [i for i, row in published.iterrows() if i != TOTAL_LABEL and any(v == symbol for v in row)]
    return int(sum(firms.get(i, 0) for i in rows))


# ---- themes -----------------------------------------------------------------------------------

def theme_table(frame: pd.DataFrame, themes: list, measures: list[Measure], rules: DisclosureRules, key: str, sheet: str,
                title_ko: str, title_en: str, chart: list[str]) -> PublishedTable:
    """One row per theme total and per part (a firm may be in several parts): each flag's
    firms against the rest, protected as a two-row table so the rest cannot reveal a small
    group, then the share of all firms."""
    rows, protected, hidden, total = {}, [], 0, int(frame["firm_key"].nunique())
    # what the tabulations read, copied once (not the year's every column once per flag)
    base = frame[list(dict.fromkeys(["firm_key", *(m.column for m in measures if m.column)]))]
    for theme in themes:
        flags = [(theme.any, f"{theme.label_ko} 계")] + [(c, f"  {theme.label_ko.split('(')[0]}: {label}") for c, label in theme.parts.items()]
        for column, label in flags:
            if column not in frame.columns or not frame[column].notna().any():
                continue
            flag = frame[column].fillna(False).astype(bool).to_numpy()
            # a categorical of the two labels: the tabulation reads its codes instead of hashing text
            work = base.assign(_in=pd.Categorical.from_codes(flag.astype("int8"), categories=["비해당", "해당"]))
            values = {}
            tabs = tabulate_measures(work, "_in", None, [m.column for m in measures], dominance_n=rules.dominance_n,
                                     row_order=["해당", "비해당"])
            for m, tab in zip(measures, tabs, strict=True):
                p = protect(tab, rules)
                protected.append(p)
                values[m.label_ko] = whole(p.published.iloc[:, 0]).get("해당", rules.empty_symbol)
            firms = values.get(measures[0].label_ko)
            values["전체 기업 대비(%)"] = round(firms / total * 100, 1) if is_number(firms) and total else firms
            if any(v == rules.symbol for v in values.values()):
                hidden += int(flag.sum())
            rows[label] = values
    out = pd.DataFrame.from_dict(rows, orient="index")
    formats = {c: (ONE_DECIMAL if c.endswith("(%)") else INT_FORMAT) for c in out.columns}
    return PublishedTable(key=key, title_ko=title_ko, title_en=title_en, sheet=sheet, frame=out, number_formats=formats,
                          n_primary=sum(p.n_primary for p in protected), n_suppressed=sum(p.n_suppressed for p in protected),
                          n_cells=len(out) * len(measures), hidden_firms=hidden, total_firms=total, chart_columns=chart,
                          note_ko="한 기업이 여러 분야에 해당할 수 있어 세부 분야의 합은 계와 다를 수 있음. "
                                  "분류는 주업종코드(KSIC) 기준이며, 참고용 분류는 공식 지정 목록이 아님.")


# ---- two-way tables and linking ---------------------------------------------------------------

def cross_table(frame, rows_col, cols_col, rows: Dimension, cols: Dimension, rules, key, sheet, collapsed_r, collapsed_c,
                forced_rows=frozenset(), forced_cols=frozenset()) -> PublishedTable:
    """Firm counts rows x cols. `forced_rows`/`forced_cols`: categories whose margin (row or
    column total) a linked one-way table hides."""
    tab = tabulate(frame, rows_col, cols_col, None, dominance_n=rules.dominance_n, row_order=_order(rows, collapsed_r),
                   col_order=_order(cols, collapsed_c), missing_label=rows.missing_label, col_missing_label=cols.missing_label)
    forced = pd.DataFrame(False, index=tab.value.index, columns=tab.value.columns)
    forced.loc[forced.index.isin(list(forced_rows)), TOTAL_LABEL] = True
    forced.loc[TOTAL_LABEL, forced.columns.isin(list(forced_cols))] = True
    p = protect(tab, rules, forced)
    out = p.published.apply(whole)
    out.index.name, out.columns.name = None, None
    n = tab.n_firms
    hidden_firms = int(sum(n.iat[i, j] for i in range(n.shape[0] - 1) for j in range(n.shape[1] - 1) if p.suppressed.iat[i, j]))
    return PublishedTable(
        key=key, title_ko=f"{rows.label_ko} × {cols.label_ko} 기업 수", title_en=f"Firms by {rows.label_en} × {cols.label_en}",
        sheet=sheet, frame=out, number_formats={c: INT_FORMAT for c in out.columns}, n_primary=p.n_primary,
        n_suppressed=p.n_suppressed, n_cells=int(p.published.size), hidden_firms=hidden_firms,
        total_firms=int(n.iat[-1, -1]), collapsed={**collapsed_r, **collapsed_c})


def hidden(series: pd.Series, symbol: str) -> frozenset:
    return frozenset(str(k) for k, v in series.items() if isinstance(v, str) and v == symbol)


# ---- trend and births -------------------------------------------------------------------------

def trend_table(frame, year_col: str, measures: list[Measure], rules: DisclosureRules, sheet: str) -> PublishedTable:
    work = frame.assign(**{year_col: frame[year_col].astype(str)})
    dim = Dimension(column=year_col, label_ko="조사연도", label_en="Census year", order=sorted(work[year_col].unique()))
    out, protected = {}, []
    for m, p in zip(measures, one_ways(work, year_col, measures, rules, dim, {}), strict=True):
        protected.append(p)
        out[m.label_ko] = whole(p.published.iloc[:, 0]).drop(index=TOTAL_LABEL)
    out = pd.DataFrame(out)
    for m in measures:
        col = out[m.label_ko]
        prev = col.shift(1)
        change = []
        for i, (a, b) in enumerate(zip(col, prev, strict=True)):
            if i == 0:
                change.append(rules.empty_symbol)
            elif is_number(a) and is_number(b) and b:
                change.append(round((a - b) / b * 100, 1))
            else:
                change.append(rules.symbol)
        out[f"{m.label_ko} 증감률(%)"] = pd.Series(change, index=out.index, dtype=object)
    out.index.name = None
    formats = {c: (ONE_DECIMAL if c.endswith("(%)") else INT_FORMAT) for c in out.columns}
    return PublishedTable(key="trend", title_ko="연도별 추이 (전년 대비)", title_en="Change against previous years",
                          sheet=sheet, frame=out, number_formats=formats, n_primary=sum(p.n_primary for p in protected),
                          n_suppressed=sum(p.n_suppressed for p in protected), n_cells=sum(p.published.size for p in protected),
                          chart_columns=[m.label_ko for m in measures], chart_kind="line", chart_sort="order")


def births_closures_table(this_year, prev_year, col: str, dim: Dimension, rules, year: int, prev: int | None,
                          collapsed: dict[str, str], sheet: str) -> PublishedTable:
    """Firms new to the census this year and firms of the previous census year not found this
    year, by the dimension. The census cannot tell a closure from a move or a refusal."""
    if prev is None:
        births = closures = this_year.iloc[0:0]
    else:
        births = this_year[~this_year["firm_key"].isin(prev_year["firm_key"])]
        closures = prev_year[~prev_year["firm_key"].isin(this_year["firm_key"])]
    cols, protected, hidden_firms, sizes = {}, [], 0, pd.Series(dtype="float64")
    firms = Measure(column=None, label_ko="기업 수", label_en="Firms")
    for label, part in ((f"신규 진입 ({year})", births), (f"이탈 ({prev or '-'} → {year})", closures)):
        if part.empty:
            cols[label] = pd.Series({TOTAL_LABEL: 0}, dtype=object)
            continue
        p = one_way(part, col, firms, rules, dim, collapsed)
        protected.append(p)
        cols[label] = whole(p.published.iloc[:, 0])
        n = p.tabulation.n_firms.iloc[:, 0]
        hidden_firms += int(sum(n[i] for i in n.index if i != TOTAL_LABEL and p.suppressed.loc[i].iat[0]))
        sizes = sizes.add(n, fill_value=0)  # entries and exits together: the busiest categories first
    out = pd.DataFrame(cols)
    out = _sort_body(out, dim, collapsed, sizes).fillna(rules.empty_symbol)
    return PublishedTable(
        key="births", title_ko=f"신규 진입·이탈 기업 ({dim.label_ko}별)", title_en=f"Entries and exits by {dim.label_en}",
        sheet=sheet, frame=out, number_formats={c: INT_FORMAT for c in out.columns}, n_primary=sum(p.n_primary for p in protected),
        n_suppressed=sum(p.n_suppressed for p in protected), n_cells=int(out.size), hidden_firms=hidden_firms,
        total_firms=len(births) + len(closures), chart_columns=[next(iter(out.columns))], collapsed=collapsed,
        note_ko="신규 진입: 직전 조사연도에 없던 기업. 이탈: 직전 조사연도에 있었으나 올해 조사에 없는 기업(폐업·이전·무응답 포함).")
