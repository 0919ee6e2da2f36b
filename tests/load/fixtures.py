"""Small deliveries written the way contractors send them, for the reader tests."""

from __future__ import annotations

from pathlib import Path

import openpyxl

TEST_LAYOUT = """
name: test_contractor
description: 테스트용 양식 / layout used by the reader tests
columns:
  firm_name: {headers: [업체명]}
  brn: {headers: [사업자등록번호], required: true}
  employees_male: {headers: ["종업원수(명) 남"]}
  employees_female: {headers: ["종업원수(명) 여"]}
  employees_total: {headers: ["종업원수(명) 계", 상시종업원수]}
  founded_date: {headers: [설립일]}
  revenue_mil_krw: {headers: ["매출액(천원)"], unit: thousand_krw}
  self_reported_tier: {headers: [협력단계]}
  ksic_code: {headers: [주업종코드]}
"""

HEADER_TOP = ["업체명", "사업자등록번호", "종업원수(명)", None, None, "설립일", "매출액(천원)", "협력단계", "주업종코드"]
HEADER_BOTTOM = [None, None, "남", "여", "계", None, None, None, None]
ROWS = [
    ["(주)대한정밀", "134-86-72683", 3, 4, 7, "2015.03.02", "1,234,500", "2차", "29294"],
    ["  ＡＢＣ 테크 ", "1208200052", "１２", "3", "15", 42061, 5000, "3차벤더", 25911],
    ["한빛금속", "220 88 69974", "△1", 2, 1, "20010105", "-", "해당 없음", "C24311"],
]


def write_titled_xlsx(path: Path, title: str = "2022년 시흥시 기업실태조사 결과", clean_firms: int = 0) -> Path:
    """The three firms of ROWS (one with negative employees), then `clean_firms` firms without
    any defect, a blank row and a total row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "조사결과"
    ws.append([title])
    ws.append([])
    ws.append(HEADER_TOP)
    ws.append(HEADER_BOTTOM)
    ws.merge_cells("C3:E3")
    ws.merge_cells("A3:A4")
    for row in ROWS[:2]:
        ws.append(row)
    ws.append([])  # a blank row between firms
    ws.append(ROWS[2])
    for i in range(clean_firms):
        ws.append([f"청정기업{i}", None, 1, 1, 2, "2010-01-01", 100, "2차", "25921"])
    ws.append(["합계", None, 14, 9, 23, None, 1239500, None])
    wb.save(path)
    return path


def write_csv(path: Path, encoding: str) -> Path:
    lines = ["업체명,사업자등록번호,상시종업원수,설립일,매출액(천원),협력단계"]
    lines += ['(주)대한정밀,134-86-72683,7,2015.03.02,"1,234,500",2차', "한빛금속,2208869974,1,2001-1-5,0,1차"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path
