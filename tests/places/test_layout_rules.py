"""Issue 14.7: layouts say more, still as config: fallback columns, sums, value maps, constants,
per-row KSIC revision; a layout file with a typo stops with one line naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.layouts import LayoutError, load_layouts, parse_layout
from pipeline.read import DeliveryError, read_delivery
from pipeline.schema import canonical_columns
from pipeline.stage import stage
from tests.conftest import SHIPPED_CONFIG

REPO = Path(__file__).resolve().parents[2]
REGISTER = (REPO.parent / "shared" / "reference" / "registers" / "seongnam_factory_registry_2023.csv").resolve()
LAYOUTS = REPO / "config" / "layouts"


@pytest.fixture(scope="module")
def register():
    if not REGISTER.exists():
        pytest.skip("../shared/reference/registers is not beside the checkout")
    return read_delivery(REGISTER, load_layouts(LAYOUTS, SHIPPED_CONFIG / "canonical_columns.yaml"))


def test_the_seongnam_register_reads_with_its_own_layout(register):
    assert register.layout.name == "seongnam_factory_registry"
    assert register.match.score == 1.0 and len(register.cells) == 582
    raw = pd.read_csv(REGISTER, dtype=str)
    # 11 factories have no 도로명주소: their 지번주소 stands in, the others keep the road address.
    no_road = raw["정제도로명주소"].isna().to_numpy()
    assert no_road.sum() == 11
    assert register.cells["address"].notna().all()
    assert register.cells["address"].to_numpy()[no_road].tolist() == raw["정제지번주소"].to_numpy()[no_road].tolist()
    assert register.cells["address"].to_numpy()[~no_road].tolist() == raw["정제도로명주소"].to_numpy()[~no_road].tolist()
    # The factory registration date is not the founding date: left unmapped, listed as ignored.
    assert "공장등록일" in register.ignored_headers


def test_the_register_stages_its_size_class_and_revision(register):
    staged = stage(register, 2023, 10, SHIPPED_CONFIG / "canonical_columns.yaml")
    frame = staged.frame
    assert len(frame) == 582 and staged.quarantined_rows == 0
    assert frame["size_class_reported"].value_counts().to_dict() == {"소기업": 572, "중기업": 10}
    assert (frame["ksic_revision_reported"] == 10).all() and str(frame["ksic_revision_reported"].dtype) == "Int64"
    assert frame.loc[frame.firm_name == "오픈스택(주)", "employees_total"].tolist() == [12]


# A register in the layout of the national factory-registration extract (공장등록현황, 한국산업단지
# 공단 팩토리온): 종업원수 comes as 남/여 and 외국인 남/여, 대표업종차수 per row, 공장규모 as a code.
NATIONAL = """회사명,대표업종차수,대표업종,남자종업원,여자종업원,외국인남자종업원,외국인여자종업원,공장규모,공장대표주소(도로명),공장대표주소(지번)
대성정밀(주),10,29229,12,3,2,1,1,경기도 시흥시 공단1대로 204,경기도 시흥시 정왕동 1234-5
한일금속,9,25931,"1,204",,, ,2,,경기도 안산시 단원구 성곡동 678
삼우기계,8,29222,,,,,3,경상남도 창원시 성산구 공단로 100,
우리화학,10,20499,4,1,x,0,9,경기도 시흥시 마유로 1,
"""

NATIONAL_LAYOUT = {
    "name": "national_factory_registry",
    "columns": {
        "firm_name": {"headers": ["회사명"]},
        "ksic_code": {"headers": ["대표업종"]},
        "ksic_revision_reported": {"headers": ["대표업종차수"]},
        # The register counts foreign workers apart from 남/여; the census's 남/여 are all workers.
        "employees_male": {"sum_of": ["남자종업원", "외국인남자종업원"]},
        "employees_female": {"sum_of": ["여자종업원", "외국인여자종업원"]},
        "employees_foreign": {"sum_of": ["외국인남자종업원", "외국인여자종업원"]},
        "employees_total": {"sum_of": ["남자종업원", "여자종업원", "외국인남자종업원", "외국인여자종업원"]},
        "size_class_reported": {"headers": ["공장규모"], "values": {1: "소기업", 2: "중기업", 3: "대기업"}},
        "address": {"headers": ["공장대표주소(도로명)"], "fallback": ["공장대표주소(지번)"]},
        "complex_name_raw": {"constant": "해당없음"},
    },
}


@pytest.fixture
def national(tmp_path):
    import yaml

    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "national.yaml").write_text(yaml.safe_dump(NATIONAL_LAYOUT, allow_unicode=True), encoding="utf-8")
    path = tmp_path / "factories_2023.csv"
    path.write_text(NATIONAL, encoding="utf-8")
    return read_delivery(path, load_layouts(folder, SHIPPED_CONFIG / "canonical_columns.yaml"))


def texts(values: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in values]


def test_sums_fallbacks_value_maps_and_constants(national):
    cells = national.cells.reset_index(drop=True)
    assert texts(cells["employees_total"])[:3] == ["18", "1204", None]
    assert texts(cells["employees_foreign"])[:3] == ["3", None, None]
    # A cell that is not a number is not summed over: staging reports it instead of a wrong total.
    assert cells["employees_total"][3] == "4+1+x+0"
    assert cells["size_class_reported"].tolist() == ["소기업", "중기업", "대기업", "9"]  # unknown code kept
    assert cells["address"].tolist()[:3] == ["경기도 시흥시 공단1대로 204", "경기도 안산시 단원구 성곡동 678", "경상남도 창원시 성산구 공단로 100"]
    assert cells["complex_name_raw"].eq("해당없음").all()
    staged = stage(national, 2023, 10, SHIPPED_CONFIG / "canonical_columns.yaml")
    assert staged.frame["ksic_revision_reported"].tolist() == [10, 9, 8, 10]
    assert staged.frame["employees_total"].tolist()[:2] == [18, 1204]


def test_no_false_sex_sum_warning_when_foreign_workers_are_counted_apart(national):
    from pipeline.validation.checks import range_failures
    from pipeline.validation.rules import load_config

    frame = stage(national, 2023, 10, SHIPPED_CONFIG / "canonical_columns.yaml").frame
    # 남 12 + 여 3 alone is not the 18 workers: the layout sums 외국인 남/여 into 남/여 and the total.
    assert frame[["employees_male", "employees_female", "employees_total"]].iloc[0].tolist() == [14, 4, 18]
    failures = range_failures(frame, load_config(SHIPPED_CONFIG / "validation.yaml"))
    assert "employees_sex_sum" not in set(failures["rule"])


@pytest.mark.parametrize("data, key", [
    ({"name": "x", "columns": {"firm_name": {"headres": ["업체명"]}}}, "columns.firm_name.headres"),
    ({"name": "x", "columns": {"firm_name": {"headers": ["업체명"]}, "revenue_mil_krw": {"headers": ["매출"], "unit": "won"}}},
     "columns.revenue_mil_krw.unit"),
    ({"name": "x", "columns": {"firm_name": {"headers": ["업체명"]}, "revenue_mil_krw": {"headers": ["매출"]}}},
     "columns.revenue_mil_krw.unit"),
    ({"name": "x", "columns": {"firm_nam": {"headers": ["업체명"]}}}, "columns.firm_nam"),
    ({"name": "x", "column": {"firm_name": {"headers": ["업체명"]}}}, "column"),
    ({"name": "x", "columns": {"firm_name": {"headers": ["업체명"]}, "employees_total": {"headers": ["계"], "sum_of": ["남", "여"]}}},
     "columns.employees_total"),
    ({"name": "x", "columns": {"firm_name": {"headers": ["업체명"]}, "address": {"sum_of": ["주소1", "주소2"]}}}, "columns.address.sum_of"),
    ({"name": "x", "ksic_revision": "열", "columns": {"firm_name": {"headers": ["업체명"]}}}, "ksic_revision"),
    ({"name": "x", "columns": {"brn": {"headers": ["사업자번호"]}}}, "columns.firm_name"),
    ("just text", "(파일 전체 / whole file)"),
])
def test_a_layout_typo_is_one_line_naming_file_and_key(data, key):
    with pytest.raises(LayoutError) as caught:
        parse_layout(data, Path("contractor_b.yaml"), canonical_columns(SHIPPED_CONFIG / "canonical_columns.yaml"))
    e = caught.value
    assert isinstance(e, DeliveryError)  # reported like a bad delivery: one line, no traceback
    assert e.file == "config/layouts/contractor_b.yaml"
    assert e.message_ko.startswith(key) and e.message_en.startswith(key)
    assert "\n" not in str(e)


def test_broken_yaml_names_the_line(tmp_path):
    (tmp_path / "bad.yaml").write_text("name: x\ncolumns:\n  firm_name: {headers: [업체명]\n", encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        load_layouts(tmp_path, SHIPPED_CONFIG / "canonical_columns.yaml")
    assert "bad.yaml" in str(caught.value) and "line" in caught.value.message_en and "\n" not in str(caught.value)


def test_every_shipped_layout_loads():
    names = {layout.name for layout in load_layouts(LAYOUTS, SHIPPED_CONFIG / "canonical_columns.yaml")}
    assert {"seongnam_factory_registry", "siheung_contractor_2024_xlsx"} <= names
