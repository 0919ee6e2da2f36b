"""애로사항 on the shipped sample against the truth, and the rules on answers written by hand."""

import pytest

from pipeline.clusters import size_band
from pipeline.difficulties import (
    NONE,
    TaxonomyError,
    classification_rate,
    classify_answers,
    classify_items,
    classify_text,
    difficulty_counts,
    load_taxonomy,
    unclassified_texts,
)

from .conftest import CONFIG


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy(CONFIG / "difficulties.yaml")


@pytest.fixture(scope="module")
def classified(staged, tax):
    return classify_answers(staged, tax, "true_firm_id")


def test_ticked_items_of_every_years_spelling_match_the_truth(classified, truth):
    got = classified.merge(truth["difficulties"], on=["census_year", "true_firm_id"], suffixes=("", "_true"))
    assert len(got) == len(classified)
    assert (got["item_categories"] == got["item_categories_true"]).all()


def test_free_text_rate_and_accuracy_on_the_sample(classified, staged, truth):
    rate = classification_rate(classified)
    assert 0.9 < rate < 1.0
    got = classified.merge(truth["difficulties"], on=["census_year", "true_firm_id"], suffixes=("", "_true"))
    written = got[got["text_status"] != "empty"]
    placed = written[written["text_status"] == "classified"]
    # Every category the truth gives is found (recall), and most answers get exactly the truth.
    missed = [set(t.split(";")) - set(g.split(";")) for g, t in zip(placed["text_categories"], placed["text_categories_true"], strict=True)]
    assert not any(missed)
    assert (placed["text_categories"] == placed["text_categories_true"]).mean() > 0.9
    none = written[written["text_status"] == "no_difficulty"]
    assert (none["text_categories_true"] == "").all()
    review = unclassified_texts(classified, staged["difficulty_text"])
    assert set(review["difficulty_text"]) <= set(written.loc[written["text_categories_true"] == "", "difficulty_text"])


@pytest.mark.parametrize("text, expected", [
    ("숙련 기능공이 부족", ["인력"]),
    ("은행 대출 금리 부담", ["자금"]),
    ("원청 발주 감소", ["판로"]),
    ("원자재 가격 폭등", ["원자재"]),
    ("인허가 절차가 까다로움", ["규제·인허가"]),
    ("공장 부지 부족", ["입지·환경"]),
    ("화물 운송비 상승", ["물류"]),
    ("신제품 기술개발 역량 부족", ["기술"]),
    ("인력도 자금도 부족", ["인력", "자금"]),
    ("특별히  없음", [NONE]),
    ("ｎ／ａ", []),
    (None, []),
])
def test_rules_on_hand_written_answers(tax, text, expected):
    assert classify_text(text, tax) == expected


def test_an_unknown_item_label_falls_back_to_keywords_and_is_kept(tax):
    cats, leftover = classify_items("인력난, 외국인 고용허가 한도", tax)
    assert cats[0] == "인력" and "외국인고용허가한도" in leftover


def test_counts_by_size_band(classified, staged):
    groups = staged.assign(size_band=size_band(staged["employees_total"]))[["true_firm_id", "census_year", "size_band"]]
    counts = difficulty_counts(classified, groups, ["size_band"], "true_firm_id")
    assert set(counts["size_band"]) >= {"1-9", "10-49", "50-299"}
    assert (counts["firms"] <= counts["respondents"]).all() and counts["share"].between(0, 1).all()
    # 인력 is the most reported difficulty of small manufacturers, as the generator weights it.
    top = counts[counts["size_band"] == "10-49"].sort_values("firms").iloc[-1]
    assert top["category"] == "인력"


def test_taxonomy_typo_names_the_file_and_key(tmp_path):
    p = tmp_path / "difficulties.yaml"
    p.write_text((CONFIG / "difficulties.yaml").read_text(encoding="utf-8").replace("    keywords:", "    keyword:", 1), encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"^difficulties.yaml: 'categories\.인력\.keyword"):
        load_taxonomy(p)
