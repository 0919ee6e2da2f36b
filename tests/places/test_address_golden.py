"""Issue 14.6: addresses as real registers write them. The 법정동 comes from the 참고항목 (the last
parentheses), never from a building number; a building name's own parentheses do not lose it;
a comma without a space does not eat the building number; a cut 시도 name is still a 시도."""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.classify.address import address_columns, parse_address, sido_aliases

REPO = Path(__file__).resolve().parents[2]
SIDO = sido_aliases(REPO / "config" / "classification" / "address.yaml")

# (address, 시도, 시군구, 읍면동, 도로명, 건물번호)
GOLDEN = [
    # Building numbers in parentheses before the 참고항목.
    ("경기도 시흥시 공단1대로 204 (제2동) (정왕동)", "경기도", "시흥시", "정왕동", "공단1대로", "204"),
    ("경기도 시흥시 공단1대로 204 마동(105동) (정왕동)", "경기도", "시흥시", "정왕동", "공단1대로", "204"),
    ("경기도 시흥시 공단1대로 204, 마동(105동) (정왕동)", "경기도", "시흥시", "정왕동", "공단1대로", "204"),
    ("경기도 시흥시 공단1대로 204 (105동)", "경기도", "시흥시", None, "공단1대로", "204"),
    ("경기도 시흥시 공단1대로 204 (제2동)", "경기도", "시흥시", None, "공단1대로", "204"),
    # A building name with its own parentheses inside the 참고항목.
    ("경기도 시흥시 공단1대로 204 (정왕동, (주)대성빌딩)", "경기도", "시흥시", "정왕동", "공단1대로", "204"),
    ("경기도 시흥시 정왕대로 64 (정왕동,메가쇼핑몰(108,109호))", "경기도", "시흥시", "정왕동", "정왕대로", "64"),
    ("경기도 안산시 단원구 원시로 1 ((주)한국정밀, 원시동)", "경기도", "안산시 단원구", "원시동", "원시로", "1"),
    # A comma without a space after the building number.
    ("경기도 시흥시 공단3대로 235,시화단지", "경기도", "시흥시", None, "공단3대로", "235"),
    ("경기도 시흥시 봉우재로 23-29 ,101호(정왕동)", "경기도", "시흥시", "정왕동", "봉우재로", "23-29"),
    # A 시도 name cut short.
    ("제주특별자치 제주시 첨단로 242 (영평동)", "제주특별자치도", "제주시", "영평동", "첨단로", "242"),
    ("제주특별자치도 서귀포시 안덕면 화순로 1", "제주특별자치도", "서귀포시", "안덕면", "화순로", "1"),
    ("강원특별자치 원주시 문막읍 동화공단로 1", "강원특별자치도", "원주시", "문막읍", "동화공단로", "1"),
    # Forms that already worked stay as they were.
    ("경기도 시흥시 공단1대로 204 (정왕동, 시화공단)", "경기도", "시흥시", "정왕동", "공단1대로", "204"),
    ("경기도 화성시 향남읍 발안공단로 95 (상신리)", "경기도", "화성시", "향남읍", "발안공단로", "95"),
    ("서울특별시 동대문구 고산자로 1 (제기동)", "서울특별시", "동대문구", "제기동", "고산자로", "1"),
    ("경기도 성남시 분당구 야탑동 129번지 (새나리길2) 2층", "경기도", "성남시 분당구", "야탑동", None, "129"),
]


@pytest.mark.parametrize("address, sido, sigungu, emd, road, number", GOLDEN)
def test_address_golden(address, sido, sigungu, emd, road, number):
    parts = parse_address(address, SIDO)
    got_emd = parts["addr_eupmyeon"] or parts["addr_dong"]
    assert (parts["addr_sido"], parts["addr_sigungu"], got_emd, parts["addr_road"], parts["addr_number"]) == (sido, sigungu, emd, road, number)


def test_the_column_path_reads_the_same():
    # The vectorised fast path must agree with the token parser on these forms.
    frame = address_columns(pd.Series([g[0] for g in GOLDEN]), SIDO)
    got = [None if pd.isna(v) else v for v in frame["addr_emd"]]
    assert got == [g[3] for g in GOLDEN]
