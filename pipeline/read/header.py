"""Finding the header of a delivered sheet: title rows come first, and the header may span two
rows ("종업원수(명)" merged over 남/여/외국인/계). Every candidate row, alone or joined with the row
below, is scored against every layout; the best-scoring header wins, so header detection and
layout choice are one decision."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipeline import layouts as layout_files  # by module: pipeline.layouts imports pipeline.read


@dataclass(frozen=True)
class HeaderChoice:
    sheet: int  # index into the probed sheets
    first_row: int  # index of the header's first row within the probe
    depth: int  # 1 or 2 header rows
    headers: list[str]
    match: layout_files.LayoutMatch


def join_header_rows(top: list[str | None], bottom: list[str | None] | None) -> list[str]:
    """Headers of one or two rows. A horizontally merged parent cell is blank to the right of its
    first column in the grid, so it is carried right over the children below it."""
    if bottom is None:
        return [(t or "").strip() for t in top]
    width = max(len(top), len(bottom))
    top = list(top) + [None] * (width - len(top))
    bottom = list(bottom) + [None] * (width - len(bottom))
    out, parent = [], None
    for t, b in zip(top, bottom, strict=True):
        if t is not None:
            parent = t
        elif b is None:
            parent = None
        head = t if t is not None else (parent if b is not None else None)
        out.append(" ".join(x.strip() for x in (head, b) if x))
    return out


def header_candidates(sheets: list[list[list[str | None]]]) -> Iterator[tuple[int, int, int, list[str]]]:
    """(sheet, first row, depth, headers) of every row that could be a header, alone or over the
    row below it (a two-row header is joined top to bottom)."""
    for s, rows in enumerate(sheets):
        for i, row in enumerate(rows):
            if sum(v is not None for v in row) < 2:
                continue
            for depth in (1, 2):
                if depth == 2 and i + 1 >= len(rows):
                    continue
                yield s, i, depth, join_header_rows(row, rows[i + 1] if depth == 2 else None)


def choose_header(sheets: list[list[list[str | None]]], layouts: list[layout_files.Layout]) -> HeaderChoice | None:
    best: HeaderChoice | None = None
    for s, i, depth, headers in header_candidates(sheets):
        match = layout_files.choose_layout(layouts, headers)
        if match is None or not match.mapping:
            continue
        candidate = HeaderChoice(s, i, depth, headers, match)
        if best is None or _key(candidate) > _key(best):
            best = candidate
    return best


def _key(c: HeaderChoice) -> tuple:
    # More matched columns first; then the higher share; then the shallower header.
    return (len(c.match.mapping), c.match.score, -c.depth)
