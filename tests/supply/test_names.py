"""Company-name keys: the spellings respondents use for one firm give one key; different firms
keep different keys."""

import pytest

from pipeline.names import canonical_key, load_name_rules, normalise_name
from tests.conftest import SHIPPED_CONFIG

RULES = load_name_rules(SHIPPED_CONFIG / "company_aliases.yaml")


@pytest.mark.parametrize("spelling", [
    "(주)대성정밀", "㈜ 대성 정밀", "대성정밀 주식회사", "주식회사 대성정밀", "대성정밀(주)", "（주）대성정밀",
    "주)대성정밀", "대성정밀㈜", "대성정밀(시화공장)", " 대성-정밀 ",
])
def test_legal_forms_brackets_and_spaces_are_ignored(spelling):
    assert normalise_name(spelling, RULES) == "대성정밀"


@pytest.mark.parametrize("spelling", ["Daesung Co., Ltd.", "DAESUNG CO.,LTD", "Daesung Inc.", "ＤＡＥＳＵＮＧ Corp."])
def test_latin_legal_forms_and_full_width(spelling):
    assert normalise_name(spelling, RULES) == "daesung"


def test_legal_form_inside_a_word_is_kept():
    assert normalise_name("ZINC", RULES) == "zinc"
    assert normalise_name("유한정밀", RULES) == "유한정밀"


@pytest.mark.parametrize(("spelling", "canonical"), [
    ("쌍용자동차(주)", "KG모빌리티"), ("KGM", "KG모빌리티"), ("르노삼성자동차", "르노코리아"), ("르노코리아자동차㈜", "르노코리아"),
    ("한국지엠", "한국GM"), ("GM Korea", "한국GM"), ("기아자동차", "기아"), ("현대차", "현대자동차"),
    ("SEC", "삼성전자"), ("엘지전자", "LG전자"), ("현대자동차(울산공장)", "현대자동차"),
])
def test_aliases_resolve_renames_and_abbreviations(spelling, canonical):
    assert canonical_key(spelling, RULES) == canonical_key(canonical, RULES)


@pytest.mark.parametrize("value", [None, float("nan"), 12345, "", "   ", "(주)"])
def test_missing_or_odd_values_give_an_empty_key(value):
    assert normalise_name(value, RULES) == ""
