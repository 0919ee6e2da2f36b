"""One writer per delivery format. xlsx goes through xlsxwriter in constant_memory mode (rows are
streamed to disk, so a million-row sheet needs little memory); CSV through the csv module in the
contractor's encoding."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import xlsxwriter

from census_sample.render import Delivery


def write_xlsx(delivery: Delivery, path: Path) -> None:
    """Title row, optional unit row, one- or two-row header with merged group cells, the data
    rows. Merges carry no cell format so that, in constant_memory mode, their blank cells do not
    force the header row to be flushed before it is complete."""
    spec = delivery.spec
    year = delivery.year
    width = len(delivery.header_rows[0])
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "default_date_format": "yyyy-mm-dd",
                                         "strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    # A fixed creation date keeps the bytes of a regenerated file identical.
    wb.set_properties({"created": datetime(year + 1, 2, 1), "title": spec["title"].format(year=year)})
    ws = wb.add_worksheet(spec.get("sheet", "Sheet1").format(year=year))
    ws.merge_range(0, 0, 0, width - 1, spec["title"].format(year=year))
    row = 1
    if spec.get("subtitle"):
        ws.write(row, width - 1, spec["subtitle"])
        row += 1
    if len(delivery.header_rows) == 2:
        top, bottom = delivery.header_rows
        c = 0
        while c < width:
            end = c
            while end + 1 < width and bottom[c] and top[end + 1] == top[c] and bottom[end + 1]:
                end += 1
            if end > c:
                ws.merge_range(row, c, row, end, top[c])
            elif not bottom[c]:
                ws.merge_range(row, c, row + 1, c, top[c])
            else:
                ws.write(row, c, top[c])
            c = end + 1
        for c, label in enumerate(bottom):
            if label:
                ws.write(row + 1, c, label)
        row += 2
    else:
        ws.write_row(row, 0, delivery.header_rows[0])
        row += 1
    assert row + 1 == delivery.first_row, "header layout and record rows disagree"
    for values in delivery.rows:
        if values:
            ws.write_row(row, 0, values)
        row += 1
    wb.close()


# Characters of official KSIC names that CP949 lacks, written as the middle dot Korean software
# substitutes for them. Any other unencodable character is a generator bug and raises.
CP949_SUBSTITUTES = str.maketrans({"\u2024": "ㆍ", "\u2219": "ㆍ"})


def write_csv(delivery: Delivery, path: Path) -> None:
    """Header line, data lines (blank lines stay blank)."""
    spec = delivery.spec
    fix = spec.get("encoding", "utf-8").lower().replace("-", "") in ("cp949", "euckr")
    with open(path, "w", encoding=spec.get("encoding", "utf-8"), newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(delivery.header_rows[0])
        for values in delivery.rows:
            cells = ["" if v is None else v for v in values]
            w.writerow([v.translate(CP949_SUBSTITUTES) if fix and isinstance(v, str) else v for v in cells])


WRITERS = {"xlsx": write_xlsx, "csv": write_csv}


def write(delivery: Delivery, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[delivery.spec["format"]](delivery, path)
    return path
