"""The columns the growth, mini-cluster, 애로사항 and directory features read, as delivered in
the shipped sample, and the roster files beside the deliveries."""

import openpyxl

from census_sample import DEFAULT_YEARS, ROSTER_DIR, sample_truth
from census_sample.clusters import file_name as roster_file
from pipeline.settings import load_settings

from .conftest import RAW


def _column(cells: list[list], header_row: int, name: str) -> list:
    header = cells[header_row]
    col = header.index(name)
    return [r[col] if col < len(r) else None for r in cells[header_row + 1:-1] if r and r[1] is not None]


def test_2023_consent_e_mail_english_name_and_difficulties(shipped):
    cells = shipped[2023]
    consent = _column(cells, 0, "정보공개 동의")
    email = _column(cells, 0, "공개용 이메일")
    english = _column(cells, 0, "영문기업명")
    assert set(consent) == {"동의", "미동의"} and 0.1 < consent.count("동의") / len(consent) < 0.35
    # A business e-mail only where the firm consented.
    assert all(c == "동의" for c, e in zip(consent, email, strict=True) if e)
    assert all("@" in e and e.split("@")[0] in {"sales", "info", "contact", "export"} for e in email if e)
    assert 0.1 < sum(bool(e) for e in english) / len(english) < 0.4
    items = [v for v in _column(cells, 0, "애로사항(복수응답)") if v]
    assert any("/" in v for v in items) and any("인력난" in v for v in items)
    regular = [v for v in _column(cells, 0, "상시종업원수(정규직)") if v]
    total = _column(cells, 0, "상시종업원수")
    assert len(regular) > 0.9 * len(total)


def test_rosters_sit_beside_the_deliveries_and_the_loader_ignores_them():
    for year in DEFAULT_YEARS:
        path = RAW / ROSTER_DIR / roster_file(year)
        ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][0] == f"{year}년 산업단지 미니클러스터 회원 명단"
        assert rows[1][:4] == ("연번", "미니클러스터", "기관(기업)명", "구분")
    assert set(load_settings().raw_files()) == set(DEFAULT_YEARS)


def test_truth_of_growth_rosters_and_difficulties_is_consistent():
    t = sample_truth()
    trends = t["trends"]
    assert trends["revenue_growth"].between(-0.25, 0.5).all() and trends["regular_share"].between(0, 1).all()
    members = set(t["members"]["true_firm_id"])
    assert trends.loc[trends["cluster_member"], "true_firm_id"].isin(members).all()
    firm_rows = t["roster_records"][t["roster_records"]["true_role"] == "firm"]
    assert len(firm_rows) == len(t["members"])
    figures = t["figures"]
    assert figures.groupby("census_year").size().between(3000, 4000).all()
    assert (figures["employees_regular"].dropna() <= figures.loc[figures["employees_regular"].notna(), "employees_total"]).all()
    d = t["difficulties"]
    assert 0.6 < (d["item_categories"] != "").mean() < 0.9 and 0.25 < d["difficulty_text"].notna().mean() < 0.45
