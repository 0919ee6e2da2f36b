import pandas as pd
import pytest

from pipeline.identifiers import (
    brn_status,
    brn_type_code,
    crn_status,
    is_valid_brn,
    is_valid_crn,
    normalise_number,
)

VALID_BRNS = [
    "134-86-72683",   # real-world format with hyphens (python-stdnum test list)
    "220 88 69974",   # spaces, as typed in some deliveries
    "1208200052",     # bare digits
    "1208200052.0",   # Excel turned it into a float
    "116-82-00276", "211-86-08983", "317-81-11175",  # real-world, pass the checksum (domain.md §1.1)
    "123-45-67891",   # textbook example
    "134-81-23455",   # S = 103 + floor(25/10) = 105 -> (10 - 5) % 10 = 5
    # Check digit 0: 1+9+28+8+3+7+2+0+20 = 78, + floor(5*4/10) = 2 -> S = 80 -> (10 - 0) % 10 = 0.
    # Without the outer mod 10 this would demand "10" and reject a valid number.
    "134-81-12040",
    "134－81－12040",  # full-width hyphens
]


@pytest.mark.parametrize("number", VALID_BRNS)
def test_valid_brn(number):
    assert brn_status(pd.Series([number])).iloc[0] == "valid"
    assert is_valid_brn(number)


@pytest.mark.parametrize("number, status", [
    ("116-82-00278", "checksum"),   # stdnum-js invalid test case
    ("134-86-72684", "checksum"),   # last digit changed
    ("134-81-12041", "checksum"),   # check digit 0 number with a wrong last digit
    ("206-18-12345", "checksum"),   # in python-stdnum's list but fails the formula (domain.md)
    ("100-81-23455", "component"),  # tax office below 101
    ("134-00-23455", "component"),  # type code 00
    ("606-81-00001", "component"),  # serial 0000 (passes the checksum, still impossible)
    ("13486", "malformed"),
    ("134-86-7268", "malformed"),   # 9 digits
    ("13486726830", "malformed"),   # 11 digits
    ("abc-de-fghij", "malformed"),
    ("**********", "masked"),       # nothing shown: hidden, not mistyped (issue 14)
    ("608127****", "masked"),
    ("608-12-7****", "masked"),
    ("608-12-*****", "masked"),
    (None, "missing"),
    ("", "missing"),
    ("   ", "missing"),
])
def test_brn_status(number, status):
    assert brn_status(pd.Series([number], dtype=object)).iloc[0] == status


def test_brn_status_keeps_index_and_order():
    s = pd.Series(["116-82-00278", "134-86-72683", None], index=[10, 5, 7])
    assert brn_status(s).to_dict() == {10: "checksum", 5: "valid", 7: "missing"}


@pytest.mark.parametrize("number", [
    "110111-0062432",  # worked example of the 오류검색번호 rule
    "134511-0123452", "284211-0001231", "131111-1234564",
    "110111-0000010",  # S = 1+2+0+2+1+2+0+0+0+0+0+2 = 10 -> check digit 0
    "1101110062432",
])
def test_valid_crn(number):
    assert crn_status(pd.Series([number])).iloc[0] == "valid"
    assert is_valid_crn(number)


@pytest.mark.parametrize("number, status", [
    ("110111-0062433", "checksum"),
    ("110111-0000011", "checksum"),
    ("110111-006243", "malformed"),
    ("110111-*******", "masked"),
    ("1348672683", "malformed"),  # a BRN in the CRN column
    (None, "missing"),
])
def test_crn_status(number, status):
    assert crn_status(pd.Series([number], dtype=object)).iloc[0] == status


def test_type_code_and_normalisation():
    s = pd.Series(["134-86-72683", "608127****", "12", None], dtype=object)
    assert brn_type_code(s).tolist()[:2] == ["86", "12"]
    assert brn_type_code(s).isna().tolist()[2:] == [True, True]
    assert normalise_number(pd.Series(["220 88 69974", "608-12-7＊＊＊＊"])).tolist() == ["2208869974", "608127****"]


def test_vectorised_matches_one_by_one():
    numbers = [f"{p}{c}" for p in ("134867268", "220886997", "120820005", "134811204") for c in range(10)]
    together = brn_status(pd.Series(numbers)).tolist()
    assert together == [brn_status(pd.Series([n])).iloc[0] for n in numbers]
    # exactly one check digit of ten is right for each prefix
    assert together.count("valid") == 4
