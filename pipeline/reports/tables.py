"""The published tables of the yearly report, every one under disclosure control."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.disclosure.protect import ProtectedTable, protect
from pipeline.disclosure.tabulate import TOTAL_LABEL, tabulate

# Section titles of the data-quality part, shared by the workbook and the HTML page.
QUALITY_TITLES = {"load_log": "적재 이력 / Load log", "quarantine": "격리(오류) / Quarantine (errors)",
                  "validation_flag": "검증 경고 / Validation warnings"}


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
    chart_column: str | None = None  # heading charted by category (total row left out)
    chart_kind: str = "bar"
    note_ko: str | None = None


@dataclass
class YearlyReport:
    year: int
    title_ko: str
    title_en: str
    summary: list[tuple[str, object]]
    tables: list[PublishedTable]
    quality: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def suppressed_cells(self) -> int:
        return sum(t.n_suppressed for t in self.tables)

    @property
    def primary_cells(self) -> int:
        return sum(t.n_primary for t in self.tables)


def _measure_columns(frame, dim_col, measures, rules, order=None, drop_total=False, missing="미상", forced_firms=frozenset()):
    """One protected one-way table per measure, side by side. `forced_firms`: categories whose
    firm count a linked table hides."""
    cols, protected = {}, []
    for m in measures:
        tab = tabulate(frame, dim_col, None, m["column"], dominance_n=rules.dominance_n, row_order=order,
                       missing_label=missing)
        forced = None
        if m["column"] is None and forced_firms:
            forced = pd.DataFrame({c: tab.value.index.isin(list(forced_firms)) for c in tab.value.columns}, index=tab.value.index)
        p = protect(tab, rules, forced)
        protected.append(p)
        cols[m["label_ko"]] = p.published.iloc[:, 0]
    out = pd.DataFrame(cols)
    if drop_total:
        out = out.drop(index=TOTAL_LABEL)
    out.index.name = None
    return out, protected


def _counted(protected: list[ProtectedTable]) -> tuple[int, int]:
    return sum(p.n_primary for p in protected), sum(p.n_suppressed for p in protected)


def dimension_table(frame, dim, measures, rules, forced_firms=frozenset()) -> PublishedTable:
    out, protected = _measure_columns(frame, dim["column"], measures, rules, dim.get("order"),
                                      missing=dim.get("missing_label", "미상"), forced_firms=forced_firms)
    n_primary, n_supp = _counted(protected)
    return PublishedTable(
        key=dim["key"], title_ko=f"{dim['label_ko']}별 기업 수·종사자·매출액", title_en=f"Firms, employees and revenue by {dim['label_en']}",
        sheet=dim["sheet"], frame=out, number_formats={m["label_ko"]: m["number_format"] for m in measures},
        n_primary=n_primary, n_suppressed=n_supp, chart_column=measures[0]["label_ko"])


def cross_table(frame, rows, cols, rules, sheet, forced_rows=frozenset(), forced_cols=frozenset()) -> PublishedTable:
    """Firm counts rows x cols. `forced_rows`/`forced_cols`: categories whose margin (row or
    column total) a linked one-way table hides."""
    tab = tabulate(frame, rows["column"], cols["column"], None, dominance_n=rules.dominance_n,
                   row_order=rows.get("order"), col_order=cols.get("order"),
                   missing_label=rows.get("missing_label", "미상"), col_missing_label=cols.get("missing_label", "미상"))
    forced = pd.DataFrame(False, index=tab.value.index, columns=tab.value.columns)
    forced.loc[forced.index.isin(list(forced_rows)), TOTAL_LABEL] = True
    forced.loc[TOTAL_LABEL, forced.columns.isin(list(forced_cols))] = True
    p = protect(tab, rules, forced)
    out = p.published.copy()
    out.index.name, out.columns.name = None, None
    return PublishedTable(
        key="cross", title_ko=f"{rows['label_ko']} x {cols['label_ko']} 기업 수", title_en=f"Firms by {rows['label_en']} x {cols['label_en']}",
        sheet=sheet, frame=out, number_formats={c: "#,##0" for c in out.columns}, n_primary=p.n_primary, n_suppressed=p.n_suppressed)


def hidden(series: pd.Series, symbol: str) -> frozenset:
    return frozenset(str(k) for k, v in series.items() if isinstance(v, str) and v == symbol)


def linked_tables(frame, rows, cols, measures, rules, sheet, max_rounds: int = 20) -> tuple:
    """The one-way tables of `rows` and `cols` and their cross table, protected together: the
    one-way firm counts are the cross table's margins, so a margin hidden in one must be hidden
    in the other, else it is read off the other table. Repeats until the patterns agree."""
    firms = measures[0]["label_ko"]
    forced_r, forced_c = frozenset(), frozenset()
    for _ in range(max_rounds):
        t_rows = dimension_table(frame, rows, measures, rules, forced_r)
        t_cols = dimension_table(frame, cols, measures, rules, forced_c)
        cross = cross_table(frame, rows, cols, rules, sheet, hidden(t_rows.frame[firms], rules.symbol),
                            hidden(t_cols.frame[firms], rules.symbol))
        new_r = hidden(cross.frame[TOTAL_LABEL], rules.symbol) | forced_r
        new_c = hidden(cross.frame.loc[TOTAL_LABEL], rules.symbol) | forced_c
        if new_r == forced_r and new_c == forced_c:
            return t_rows, t_cols, cross
        forced_r, forced_c = new_r, new_c
    raise RuntimeError("linked tables did not agree on a suppression pattern")


def trend_table(frame, measures, rules, symbol: str) -> PublishedTable:
    out, protected = _measure_columns(frame.assign(census_year=frame["census_year"].astype(str)), "census_year",
                                      measures, rules, drop_total=True)
    for m in measures:
        col = out[m["label_ko"]]
        prev = col.shift(1)
        ok = col.map(lambda v: isinstance(v, (int, float))) & prev.map(lambda v: isinstance(v, (int, float)))
        change = pd.Series(symbol, index=out.index, dtype=object)
        change[ok] = [(a - b) / b * 100 if b else None for a, b in zip(col[ok], prev[ok], strict=True)]
        change.iloc[0] = None
        out[f"{m['label_ko']} 증감률(%)"] = change
    n_primary, n_supp = _counted(protected)
    formats = {c: ("0.0" if c.endswith("(%)") else "#,##0") for c in out.columns}
    return PublishedTable(key="trend", title_ko="연도별 추이 (전년 대비)", title_en="Change against previous years",
                          sheet="연도별 추이", frame=out, number_formats=formats, n_primary=n_primary, n_suppressed=n_supp,
                          chart_column=measures[0]["label_ko"], chart_kind="line")


def births_closures_table(this_year, prev_year, dim, rules, year: int, prev: int | None) -> PublishedTable:
    """Firms new to the census this year and firms of the previous census year not found this
    year, by the dimension. The census cannot tell a closure from a move or a refusal."""
    if prev is None:
        births = this_year.iloc[0:0]
        closures = this_year.iloc[0:0]
    else:
        births = this_year[~this_year["firm_key"].isin(prev_year["firm_key"])]
        closures = prev_year[~prev_year["firm_key"].isin(this_year["firm_key"])]
    cols, protected = {}, []
    for label, part in ((f"신규 진입 ({year})", births), (f"이탈 ({prev or '-'} → {year})", closures)):
        if part.empty:
            cols[label] = pd.Series({TOTAL_LABEL: 0}, dtype=object)
            continue
        p = protect(tabulate(part, dim["column"], None, None, dominance_n=rules.dominance_n, row_order=dim.get("order"),
                             missing_label=dim.get("missing_label", "미상")), rules)
        protected.append(p)
        cols[label] = p.published.iloc[:, 0]
    out = pd.DataFrame(cols)
    body = [i for i in out.index if i != TOTAL_LABEL]
    preferred = [str(x) for x in dim.get("order", [])]
    missing = dim.get("missing_label", "미상")
    body.sort(key=lambda x: (x == missing, x not in preferred, preferred.index(x) if x in preferred else 0, x))
    out = out.reindex(body + [TOTAL_LABEL]).fillna(rules.empty_symbol)
    n_primary, n_supp = _counted(protected)
    return PublishedTable(
        key="births", title_ko=f"신규 진입·이탈 기업 ({dim['label_ko']}별)", title_en=f"Births and closures by {dim['label_en']}",
        sheet="신규·이탈", frame=out, number_formats={c: "#,##0" for c in out.columns}, n_primary=n_primary, n_suppressed=n_supp,
        chart_column=next(iter(out.columns)),
        note_ko="신규 진입: 직전 조사연도에 없던 기업. 이탈: 직전 조사연도에 있었으나 올해 조사에 없는 기업(폐업·이전·무응답 포함).")
