"""pipeline.layouts.choose_layout picks the right config/layouts/ file for each shipped delivery,
given the header as a reader sees it (two header rows joined top to bottom with one space,
horizontally merged cells forward-filled)."""

import openpyxl
import pytest

from census_sample import DEFAULT_YEARS, file_name
from pipeline.layouts import choose_layout, load_layouts
from tests.conftest import SHIPPED_CONFIG

from .conftest import RAW, read_cells

EXPECTED = {2022: "siheung_contractor_2022_xlsx", 2023: "siheung_contractor_2023_csv", 2024: "siheung_contractor_2024_xlsx"}


def header_of(year: int) -> list[str]:
    path = RAW / file_name(year)
    if path.suffix == ".csv":
        return [str(c) for c in read_cells(path)[0]]
    wb = openpyxl.load_workbook(path)  # not read-only: merged ranges are needed
    ws = wb.worksheets[0]
    # The header is the first row whose first cell is a column title (연번/순번), below the title.
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value in ("연번", "순번"))
    two_rows = any(rng.min_row == top and rng.max_row == top + 1 for rng in ws.merged_cells.ranges)
    rows = [top, top + 1] if two_rows else [top]
    values = {r: [ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in rows}
    for rng in ws.merged_cells.ranges:  # forward-fill horizontal merges
        if rng.min_row in values and rng.min_row == rng.max_row:
            for c in range(rng.min_col + 1, rng.max_col + 1):
                values[rng.min_row][c - 1] = values[rng.min_row][rng.min_col - 1]
    wb.close()
    return [" ".join(str(values[r][c]) for r in rows if values[r][c] not in (None, "")) for c in range(ws.max_column)]


@pytest.mark.parametrize("year", DEFAULT_YEARS)
def test_choose_layout_picks_the_years_layout(year):
    match = choose_layout(load_layouts(SHIPPED_CONFIG / "layouts", SHIPPED_CONFIG / "canonical_columns.yaml"), header_of(year))
    assert match is not None and match.layout.name == EXPECTED[year]
    assert match.score == 1.0 and not match.missing
    others = [m for m in (choose_layout([lay], header_of(year)) for lay in load_layouts(SHIPPED_CONFIG / "layouts", SHIPPED_CONFIG / "canonical_columns.yaml")
                          if lay.name != EXPECTED[year]) if m is not None]
    assert all(m.score < 0.6 for m in others), "another layout would also pass the match threshold"


def test_layouts_state_money_units_the_deliveries_use():
    layouts = {lay.name: lay for lay in load_layouts(SHIPPED_CONFIG / "layouts", SHIPPED_CONFIG / "canonical_columns.yaml")}
    units = {y: {c.canonical: c.unit for c in layouts[name].columns if c.unit} for y, name in EXPECTED.items()}
    assert set(units[2022].values()) == {"thousand_krw"}
    assert set(units[2023].values()) == set(units[2024].values()) == {"mil_krw"}
    assert "assets_mil_krw" in units[2024] and "crn" not in {c.canonical for c in layouts[EXPECTED[2024]].columns}
    assert layouts[EXPECTED[2024]].ksic_revision == 11 and layouts[EXPECTED[2022]].ksic_revision == 10
