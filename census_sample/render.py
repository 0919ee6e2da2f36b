"""A census year's rows turned into the cells of the contractor's delivery: units, number and
date styles, identifier formats, tier spellings, cosmetic noise (stray spaces, full-width
characters), blank rows and the trailing 합계 row. Also the record truth: which sheet/CSV row
holds which firm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from census_sample import config, identifiers

MONEY = ("revenue_mil_krw", "export_mil_krw", "rnd_mil_krw", "assets_mil_krw")
COUNTS = ("employees_male", "employees_female", "employees_foreign", "employees_total", "employees_regular")
SHARES = ("customer_1_share_pct", "customer_2_share_pct", "customer_3_share_pct")
TEXT_NOISE = ("firm_name", "address", "main_products", "industry_name", "representative_name",
              "customer_1_name", "customer_2_name", "customer_3_name")
EXCEL_EPOCH = np.datetime64("1899-12-30")
# ASCII letters, digits and brackets -> full-width forms (ＡＢＣ, １２３, （주）).
FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@dataclass(frozen=True)
class Delivery:
    year: int
    spec: dict
    header_rows: list[list[str]]   # one or two header rows, full width
    rows: list[list]               # data rows in sheet order; [] is a blank row
    first_row: int                 # 1-based sheet row / CSV line of rows[0]
    records: pd.DataFrame          # census_year, source_row, true_firm_id, defect


def _dates(values: pd.Series, styles: np.ndarray) -> np.ndarray:
    ts = pd.to_datetime(values)
    out = np.empty(len(values), dtype=object)
    y = ts.dt.year.astype(str)
    m = ts.dt.month.astype(str)
    d = ts.dt.day.astype(str)
    texts = {
        "%Y.%m.%d": y + "." + m.str.zfill(2) + "." + d.str.zfill(2),
        "%Y-%-m-%-d": y + "-" + m + "-" + d,
        "%Y%m%d": y + m.str.zfill(2) + d.str.zfill(2),
        "%Y-%m-%d": y + "-" + m.str.zfill(2) + "-" + d.str.zfill(2),
    }
    for style, text in texts.items():
        sel = styles == style
        out[sel] = text.to_numpy()[sel]
    sel = styles == "excel_date"
    out[sel] = [datetime(t.year, t.month, t.day) for t in ts[sel]]
    sel = styles == "excel_serial"
    out[sel] = ((ts[sel].to_numpy().astype("datetime64[D]") - EXCEL_EPOCH).astype(np.int64)).astype(object)
    return out


def _numbers(values: np.ndarray, text: bool, decimals_below: float | None = None) -> np.ndarray:
    """Integers (or one decimal for small money values) as cells, or as text with separators."""
    v = values.astype(float)
    out = np.full(len(v), None, dtype=object)
    ok = ~np.isnan(v)
    small = ok & (np.abs(v) < decimals_below) & (v != np.round(v)) if decimals_below else np.zeros(len(v), bool)
    whole = ok & ~small
    if text:
        out[whole] = [f"{int(x):,}" for x in np.round(v[whole])]
        out[small] = [f"{x:,.1f}" for x in v[small]]
    else:
        out[whole] = np.round(v[whole]).astype(np.int64).tolist()
        out[small] = np.round(v[small], 1).tolist()
    return out


def _noise(col: np.ndarray, rng: np.random.Generator, space_share: float, fullwidth_share: float) -> np.ndarray:
    """Stray spaces and full-width characters on a share of non-empty text cells."""
    col = col.copy()
    filled = np.array([isinstance(x, str) and x != "" for x in col])
    r = rng.random(len(col))
    for i in np.flatnonzero(filled & (r < space_share)):
        col[i] = (" " + col[i]) if r[i] < space_share / 3 else (col[i] + " " if r[i] < 2 * space_share / 3 else col[i].replace(" ", "  ", 1) + " ")
    for i in np.flatnonzero(filled & (r > 1 - fullwidth_share)):
        col[i] = col[i].translate(FULLWIDTH)
    return col


def build(rows: pd.DataFrame, year: int, seed: int) -> Delivery:
    """The delivery of one census year from its reported rows (population.Population.rows)."""
    spec = config.delivery_spec(year)
    rng = config.stream(seed, f"render-{year}")
    n = len(rows)
    text_numbers = spec["numbers"] == "text"
    factor = 1000.0 if spec["money_unit"] == "thousand_krw" else 1.0
    cells: dict[str, np.ndarray] = {"serial": np.arange(1, n + 1).astype(object), "remark": None}
    for col in rows.columns:
        cells[col] = rows[col].to_numpy(dtype=object)
    for col in MONEY:
        cells[col] = _numbers(rows[col].to_numpy(dtype=float) * factor, text_numbers, None if factor > 1 else 10)
    for col in COUNTS + SHARES:
        cells[col] = _numbers(rows[col].to_numpy(dtype=float), text_numbers)
    # Full-width digits in a few count cells, as typed in a Korean IME.
    fw = rng.random(n) < spec["fullwidth_share"]
    cells["employees_total"][fw] = [str(x).translate(FULLWIDTH) if x is not None else None for x in cells["employees_total"][fw]]
    keys, p = config.weighted(spec["dates"])
    cells["founded_date"] = _dates(rows["founded_date"], np.array(keys)[rng.choice(len(keys), n, p=p)])
    keys, p = config.weighted(spec["brn_formats"])
    cells["brn"] = identifiers.format_ids(rows["brn"], np.array(keys)[rng.choice(len(keys), n, p=p)], (3, 2, 5))
    if "crn_formats" in spec:
        keys, p = config.weighted(spec["crn_formats"])
        cells["crn"] = identifiers.format_ids(rows["crn"], np.array(keys)[rng.choice(len(keys), n, p=p)], (6, 7))
    if spec["numbers"] == "native":
        # Codes typed into Excel become numbers (none of ours has a leading zero to lose).
        cells["ksic_code"] = np.array([int(c) if isinstance(c, str) and c.isdigit() else c for c in cells["ksic_code"]], dtype=object)
    spelled = spec["tier_spellings"]
    cells["self_reported_tier"] = np.array([spelled.get(t, t) if isinstance(t, str) else None for t in rows["self_reported_tier"]], dtype=object)
    keys, p = config.weighted(config.load("vocabulary")["remarks"])
    remark = np.array(keys, dtype=object)[rng.choice(len(keys), n, p=p)]
    remark[rows["moved"].to_numpy(dtype=bool) & (rng.random(n) < 0.5)] = "주소 이전"
    cells["remark"] = np.where(remark == "", None, remark)
    for col in TEXT_NOISE:
        cells[col] = _noise(cells[col], rng, spec["stray_space_share"], spec["fullwidth_share"])

    columns = [c[0] for c in spec["columns"]]
    table = []
    for c in columns:
        col = np.asarray(cells[c], dtype=object).copy()
        col[pd.isna(col)] = None  # NaN and NaT are empty cells
        table.append(col)
    body = list(map(list, zip(*table, strict=True))) if n else []
    # A duplicated row is a copy-paste of the row above: same cells, its own serial number.
    keep = [i for i, c in enumerate(columns) if c != "serial"]
    for i in np.flatnonzero(rows["defect"].to_numpy() == "duplicate_row"):
        for j in keep:
            body[i][j] = body[i - 1][j]

    two_rows = len(spec["columns"][0]) == 3
    top = [c[1] for c in spec["columns"]]
    headers = [top, [c[2] for c in spec["columns"]]] if two_rows else [top]
    first_row = (2 + len(headers) + 1) if spec["format"] == "xlsx" else 2
    if spec["format"] == "xlsx" and not spec.get("subtitle"):
        first_row -= 1

    # Blank rows inside the data, then the 합계 row (not firm rows: not in the records).
    positions = np.sort(rng.choice(np.arange(1, max(n, 2)), min(spec.get("blank_rows", 0), max(n - 1, 0)), replace=False))
    record_row = np.arange(n) + first_row + np.searchsorted(positions, np.arange(n), side="right")
    for offset, pos in enumerate(positions):
        body.insert(int(pos) + offset, [])
    if spec.get("total_row") and n:
        total = [None] * len(columns)
        total[0] = spec["total_row"]
        for col in COUNTS + MONEY:
            if col in columns:
                vals = rows[col].to_numpy(dtype=float) * (factor if col in MONEY else 1)
                s = np.round(np.nansum(vals))
                total[columns.index(col)] = f"{int(s):,}" if text_numbers else int(s)
        body.append(total)
    records = pd.DataFrame({"census_year": year, "source_row": record_row.astype(np.int64),
                            "true_firm_id": rows["true_firm_id"].to_numpy(dtype=np.int64),
                            "defect": rows["defect"].to_numpy(dtype=object)})
    return Delivery(year=year, spec=spec, header_rows=headers, rows=body, first_row=first_row, records=records)
