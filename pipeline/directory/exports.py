"""Exports for partner platforms: one CSV row per firm with every language's text, and a JSON
file that also keeps each string's source."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipeline.directory import LANGUAGES
from pipeline.directory.entries import FirmEntry
from pipeline.directory.text import Rendered

_FIELDS = ("name", "sector", "activity", "complex", "address")


def _plain(r: Rendered | None) -> dict | None:
    return None if r is None else {"text": r.text, "source": r.source}


def export_rows(entries: list[FirmEntry]) -> pd.DataFrame:
    rows = []
    for e in entries:
        row = {"id": e.slug, "sector_code": e.sector_key, "ksic_subclass": e.activity_code}
        for name in _FIELDS:
            for lang in LANGUAGES:
                value = getattr(e, name)[lang]
                row[f"{name}_{lang}"] = value.text if value else None
        for lang in LANGUAGES:
            row[f"products_{lang}"] = "; ".join(p.text for p in e.products[lang])
        row["contact"] = e.contact
        rows.append(row)
    return pd.DataFrame(rows)


def export_json(entries: list[FirmEntry], year: int) -> dict:
    firms = []
    for e in entries:
        firm = {"id": e.slug, "sector_code": e.sector_key, "ksic_subclass": e.activity_code, "contact": e.contact}
        for name in _FIELDS:
            firm[name] = {lang: _plain(getattr(e, name)[lang]) for lang in LANGUAGES}
        firm["products"] = {lang: [_plain(p) for p in e.products[lang]] for lang in LANGUAGES}
        firms.append(firm)
    return {"census_year": year, "languages": list(LANGUAGES), "firms": firms}


def write_exports(entries: list[FirmEntry], out_dir: Path, year: int) -> list[Path]:
    out = Path(out_dir) / "exports"
    out.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = out / f"directory_{year}.csv", out / f"directory_{year}.json"
    # utf-8-sig: Excel opens the CSV with Hangul, Chinese and Vietnamese intact.
    export_rows(entries).to_csv(csv_path, index=False, encoding="utf-8-sig")
    json_path.write_text(json.dumps(export_json(entries, year), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return [csv_path, json_path]
