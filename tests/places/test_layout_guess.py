"""`census layout new` guesses, from the canonical columns' labels and common words alone (no
layout known), the mapping the analysts wrote by hand for each shipped delivery: a title row
above, a two-row header, renamed headers, money units."""

from pathlib import Path

import pytest

from pipeline.layout_guess import guess_header, load_synonyms, similarity, unit_of
from pipeline.layouts import load_layouts
from pipeline.read.delivery import probe_delivery
from pipeline.read.header import choose_header
from pipeline.schema import canonical_columns
from tests.conftest import SHIPPED_CONFIG

REPO = Path(__file__).resolve().parents[2]
DELIVERIES = sorted((REPO / "data" / "raw").glob("20*"))


@pytest.mark.parametrize("path", DELIVERIES, ids=lambda p: p.name)
def test_guess_reproduces_the_shipped_layout(path):
    catalogue = canonical_columns(SHIPPED_CONFIG / "canonical_columns.yaml")
    synonyms = load_synonyms(REPO / "config" / "layout_guess.yaml", catalogue)
    probe = probe_delivery(path)
    shipped = choose_header(probe.sheets, load_layouts(REPO / "config" / "layouts", SHIPPED_CONFIG / "canonical_columns.yaml"))
    truth = {c: shipped.headers[p[0]] for c, p in shipped.match.sources.items() if p}
    sheet, row, depth, headers, guesses = guess_header(probe.sheets, catalogue, [], synonyms)
    assert (sheet, row, depth) == (shipped.sheet, shipped.first_row, shipped.depth)
    assert {g.canonical: g.header for g in guesses} == truth
    units = {c.canonical: c.unit for c in shipped.match.layout.columns if c.unit}
    assert {c: unit_of(truth[c]) for c in units} == units


@pytest.mark.parametrize("header, label, at_least", [
    ("종업원수(명) 남", "종업원수(남)", 1.0),      # units and parentheses aside
    ("매출액(천원)", "매출액(백만원)", 1.0),
    ("정제도로명주소", "도로명주소", 0.9),          # a known word inside the header
    ("협력단계", "협력단계(응답)", 1.0),
])
def test_similarity(header, label, at_least):
    assert similarity(header, label) >= at_least


def test_unrelated_headers_stay_apart():
    assert similarity("행정기관명", "업체명") < 0.7 and similarity("위도", "주소") < 0.7
