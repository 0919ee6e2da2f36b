"""The vectorised reading of the common road-address form gives exactly what the token parser
gives, address by address, and leaves every other form to the token parser."""

import pandas as pd
import pyarrow.compute as pc

from census_sample import generate
from pipeline.classify.address import (
    COLUMNS,
    parse_address,
    parse_addresses,
    road_address_pattern,
    sido_aliases,
)
from pipeline.clean import normalise_text, text_array

EDGE_CASES = [
    "경기도 시흥시 공단1대로 204 (정왕동)",
    "경기 시흥시 공단1대로 204, 101호 (정왕동)",              # alias of the 시도
    "경기도 안산시 단원구 별망로 180번길 18, 1층 (성곡동)",       # 일반구, road suffix
    "경기도 시흥시 옥구천서로 168 지하1층 (정왕동)",              # detail without a comma
    "경기도 화성시 향남읍 발안공단로 95 (상신리)",                # 읍 and a 리 note
    "경기도 양평군 양평읍 중앙로 1",                             # 군, no note
    "경기도 양평군 가나구 중앙로 1",                             # only a 시 has 일반구
    "경기도 시흥시 공단1대로204 (정왕동)",                       # number glued to the road
    "경기도 시흥시 공단1대로 204번지",                           # 번지
    "경기도 시흥시 공단1대로 204,101호 (정왕동)",                # comma without a space
    "경기도 시흥시 공단1대로 204 (정왕동, 시화공단)",            # two notes
    "경기도  시흥시 공단1대로 204",                              # double space
    "시흥시 공단1대로 204 (정왕동)",                             # no 시도
    "경기도 시흥시 정왕동 1234-5",                               # 지번
    "경기도 시흥시 정왕동 산 12",                                # 지번 in 산
    "경기도 시흥시 공단1대로 지하 204",                          # 지하 as its own word
    "경기도 수원시 팔달구 효원로 1 (인계동)",
    "경기도 부천시 원미구 길주로 1 (상동)",
    "경기도 안산시 상록구 일동 1-1",
    "광주광역시 광산구 하남산단6번로 107 (장덕동)",              # 번로 is not a road suffix
    "광주 광산구 하남산단6번로 107",                             # "광주" is no alias
    "서울특별시 중구 을지로1가 1",                               # ...가 as a road? (을지로1가 is a 동)
    "서울특별시 중구 세종대로 110 (태평로1가)",                  # a 가 note
    "인천광역시 남동구 남동대로 222번길 40 (고잔동)",
    "경기도 시흥시 공단1대로 204 (정왕동) 2층",                  # text after the note
    "경기도 시흥시 공단1대로 204-1 (정왕동)",
    "경기도 시흥시 공단1대로 ２０４",                            # full-width digits
    "경기도 시흥시 공단1대로 204\u00a0(정왕동)",                # no-break space
    "",
    None,
]


def _both(addresses: pd.Series, sido_of: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    fast = parse_addresses(addresses, sido_of)
    slow = pd.DataFrame([parse_address(a, sido_of) for a in addresses], columns=COLUMNS, index=addresses.index)
    as_none = lambda f: f.astype(object).where(f.notna(), None)  # noqa: E731
    return as_none(fast), as_none(slow)


def test_edge_cases_read_as_the_token_parser_reads_them(settings):
    sido_of = sido_aliases(settings.config_dir / "classification/address.yaml")
    fast, slow = _both(pd.Series(EDGE_CASES, dtype="str"), sido_of)
    pd.testing.assert_frame_equal(fast, slow)
    assert fast.loc[4, "addr_ri"] == "상신리" and fast.loc[2, "addr_sigungu"] == "안산시 단원구"


def test_generated_addresses_mostly_take_the_fast_path_with_the_same_result(settings):
    sido_of = sido_aliases(settings.config_dir / "classification/address.yaml")
    rows = generate(3000, seed=11).rows
    delivered = pd.concat([r["address"] for r in rows.values()]).astype("str").drop_duplicates().reset_index(drop=True)
    cleaned, _ = normalise_text(delivered)  # as classification sees them
    matched = pc.extract_regex(text_array(cleaned), road_address_pattern(sido_of)).is_valid()
    assert pc.mean(matched.cast("int8")).as_py() > 0.9
    for addresses in (delivered, cleaned):  # the delivered text has stray and full-width spaces
        fast, slow = _both(addresses, sido_of)
        pd.testing.assert_frame_equal(fast, slow)
