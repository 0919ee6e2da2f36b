"""The candidate workbook support staff screen by hand: one sheet of candidates (대상 and
판단불가) with the figures behind the decision, one sheet stating the programme's criteria and
sources. Firms are named (staff contact them) but no personal data is written: no 대표자명,
phone or e-mail columns are ever selected."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.growth.rules import Group, Programme
from pipeline.growth.screening import CANNOT_TELL, ELIGIBLE

try:  # the project's one rule for formula-like text cells (issue 20), where merged
    from pipeline.cell_safety import neutralise
except ImportError:  # the same rule until then: text a spreadsheet would run gets an apostrophe
    def neutralise(value):
        if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
            return "'" + value
        return value

# Firm columns a candidate row may show, with their headers; anything else is never written.
FIRM_COLUMNS = {"firm_name": "업체명", "brn": "사업자등록번호", "complex_name": "산업단지", "ksic_code": "주업종코드",
                "industry_name": "업종명"}
FIGURES = {"revenue_mil_krw": "매출액(백만원)", "revenue_avg_3y": "3년 평균 매출액(백만원)", "revenue_cagr_3y": "3년 연평균 매출증가율",
           "revenue_cagr_5y": "5년 연평균 매출증가율", "employees_total": "종업원수", "employment_cagr_3y": "3년 연평균 고용증가율",
           "export_share": "수출 비중", "export_share_3y": "3년 수출 비중", "rnd_intensity_3y": "3년 R&D 투자비율",
           "regular_share": "정규직 비중"}
RESULT_ORDER = {ELIGIBLE: 0, CANNOT_TELL: 1}


def candidates(screened: pd.DataFrame, indicators: pd.DataFrame, firms: pd.DataFrame, key: str) -> pd.DataFrame:
    """Candidate rows (대상 first, then 판단불가) with their firm columns and figures, headed in
    Korean, ready to write."""
    keep = screened[screened["result"].isin(RESULT_ORDER)]
    firm_cols = [c for c in FIRM_COLUMNS if c in firms.columns]
    rows = (keep.merge(firms[[key, "census_year", *firm_cols]].drop_duplicates([key, "census_year"]), on=[key, "census_year"], how="left")
                .merge(indicators[[key, "census_year", *[c for c in FIGURES if c in indicators.columns]]], on=[key, "census_year"], how="left"))
    rows = rows.assign(_o=rows["result"].map(RESULT_ORDER)).sort_values(["_o", "revenue_mil_krw"], ascending=[True, False]).drop(columns="_o")
    headers = {key: "기업ID", "census_year": "조사연도", **FIRM_COLUMNS, "result": "판정", "failed_criteria": "미충족 기준",
               "missing_criteria": "판단 불가 기준(자료 부족)", "manual_checks": "직접 확인할 사항", **FIGURES}
    order = [key, "census_year", *firm_cols, "result", *[c for c in FIGURES if c in rows.columns], "missing_criteria",
             "failed_criteria", "manual_checks"]
    return rows[order].rename(columns=headers)


def _criteria_rows(group: Group, depth: int = 0) -> list[dict]:
    need = {"all": "모두", "any": "하나 이상"}.get(str(group.at_least), f"{group.at_least}개 이상")
    rows = [{"기준": "  " * depth + f"{group.label} ({need})", "지표": "", "조건": "", "최소 자료연수": "", "출처": ""}]
    for item in group.of:
        if isinstance(item, Group):
            rows.extend(_criteria_rows(item, depth + 1))
        else:
            rows.append({"기준": "  " * (depth + 1) + item.label, "지표": item.indicator, "조건": f"{item.op} {item.value:g}",
                         "최소 자료연수": item.min_years, "출처": item.source or ""})
    return rows


def write_workbook(path: Path, programme: Programme, year: int, table: pd.DataFrame) -> Path:
    """Candidates and criteria sheets; every text cell through neutralise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    about = pd.DataFrame(_criteria_rows(programme.rule))
    info = pd.DataFrame({"항목": ["사업", "주관", "근거", "공고 연도", "출처", "조사연도", "직접 확인할 사항"],
                         "내용": [programme.name, programme.ministry, programme.legal_basis or "", programme.year,
                                programme.source, year, "; ".join(programme.manual_checks)]})
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xl:
        for sheet, frame in (("후보기업", table), ("선정기준", about), ("사업 정보", info)):
            safe = frame.map(neutralise) if len(frame) else frame
            safe.to_excel(xl, sheet_name=sheet, index=False)
            xl.sheets[sheet].freeze_panes(1, 0)
    return path
