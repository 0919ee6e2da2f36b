"""The report's table of support-programme screening (pipeline/growth): per programme, the firms
the census shows eligible, not eligible, or cannot tell about. Each programme's row splits the
same screened firms, so each row is protected as a one-way table of its own (a small 대상 cell
is hidden with a complement, never read off the row total)."""

from __future__ import annotations

import pandas as pd

from pipeline.disclosure.protect import protect
from pipeline.disclosure.rules import DisclosureRules
from pipeline.disclosure.tabulate import TOTAL_LABEL, tabulate_measures
from pipeline.reports.config import Screening
from pipeline.reports.tables import INT_FORMAT, PublishedTable, whole


def screening_table(screened: pd.DataFrame, spec: Screening, rules: DisclosureRules, key: str, sheet: str,
                    title_ko: str, title_en: str) -> PublishedTable | None:
    """`screened`: firm_key, programme, result of one year (data.screening_frame). Rows are the
    programmes (by name, so the table does not depend on the order the screening ran in),
    columns the results in the configured order, then any other result, then 계."""
    if screened.empty:
        return None
    results = list(spec.results) + sorted(set(screened["result"].dropna().astype(str)) - set(spec.results))
    labels = [spec.labels.get(r, r) for r in results]
    rows, n_primary, n_suppressed, n_cells, hidden_firms, total = {}, 0, 0, 0, 0, 0
    for programme in sorted(screened["programme"].dropna().astype(str).unique()):
        part = screened[screened["programme"] == programme]
        work = part.assign(_result=part["result"].astype(str).map(lambda r: spec.labels.get(r, r)))
        tab = tabulate_measures(work, "_result", None, [None], dominance_n=rules.dominance_n, row_order=labels,
                                missing_label="미상")[0]
        p = protect(tab, rules)
        published = whole(p.published.iloc[:, 0])
        n = tab.n_firms.iloc[:, 0]
        rows[programme] = {label: published.get(label, rules.empty_symbol) for label in labels} | {
            TOTAL_LABEL: published.get(TOTAL_LABEL, rules.empty_symbol)}
        n_primary += p.n_primary
        n_suppressed += p.n_suppressed
        n_cells += int(p.published.size)
        hidden_firms += int(sum(n[c] for c, v in published.items() if c != TOTAL_LABEL and v == rules.symbol))
        total = max(total, int(n.get(TOTAL_LABEL, 0)))
    out = pd.DataFrame.from_dict(rows, orient="index").astype(object)
    out.index.name = None
    return PublishedTable(
        key=key, title_ko=title_ko, title_en=title_en, sheet=sheet, frame=out,
        number_formats={c: INT_FORMAT for c in out.columns}, n_primary=n_primary, n_suppressed=n_suppressed,
        n_cells=n_cells, hidden_firms=hidden_firms, total_firms=total,
        note_ko="지원사업별 요건을 조사 자료로 검토한 결과(기업 수). 대상: 조사로 확인되는 요건을 모두 충족, "
                "판단불가: 필요한 연도·항목의 자료가 없어 판단할 수 없음. 소재지·주력산업 등 조사로 알 수 없는 요건은 "
                "지원기관이 따로 확인해야 하며, 개별 기업은 공표하지 않음. 한 기업이 여러 사업의 대상일 수 있음.")
