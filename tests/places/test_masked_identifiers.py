"""Issue 14.4: a business or corporate number that the source hid is masked (a warning), never
malformed (an error that quarantines the firm). Open-data registers publish "****" or the first
digits only; contractors mask with x, #, ○ as well."""

import pandas as pd
import pytest

from pipeline.identifiers import brn_status, crn_status
from pipeline.validation.checks import identifier_failures
from pipeline.validation.rules import load_config
from tests.conftest import SHIPPED_CONFIG


@pytest.mark.parametrize("number", [
    "****", "**********", "***-**-*****", "xxx-xx-xxxxx", "XXXXXXXXXX", "##########", "○○○-○○-○○○○○",
    "608127****", "608-12-*****", "608-12-***", "608-12-xxxxx", "608-12-#####", "608-12-○○○○○", "608-12-7＊＊＊＊",
])
def test_hidden_business_numbers_are_masked(number):
    assert brn_status(pd.Series([number])).iloc[0] == "masked"


@pytest.mark.parametrize("number, status", [
    ("******-*******", "masked"), ("110111-*******", "masked"), ("○○○○○○-○○○○○○○", "masked"), ("xxxxxx-xxxxxxx", "masked"),
    ("110111-006243", "malformed"), ("110111-0062432", "valid"),
])
def test_hidden_corporate_numbers_are_masked(number, status):
    assert crn_status(pd.Series([number])).iloc[0] == status


@pytest.mark.parametrize("number", ["abc-de-fghij", "13486", "13486726830", "134867268301*", "12*34 (본사)"])
def test_a_mistyped_number_stays_malformed(number):
    # Eleven digits shown plus a star is more than a BRN has: not a mask, a wrong number.
    assert brn_status(pd.Series([number])).iloc[0] == "malformed"


def test_masked_numbers_give_warnings_and_no_error():
    frame = pd.DataFrame({"brn": ["****", "608127****", "12345"], "crn": ["******-*******", None, None]})
    found = identifier_failures(frame, load_config(SHIPPED_CONFIG / "validation.yaml"))
    by_row = found.groupby("pos")[["rule", "severity"]].apply(lambda g: dict(zip(g.rule, g.severity, strict=True))).to_dict()
    assert by_row[0] == {"brn_masked": "warning", "crn_masked": "warning"}
    assert by_row[1] == {"brn_masked": "warning"}
    assert by_row[2] == {"brn_malformed": "error"}
