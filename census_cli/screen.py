"""`census screen --programme NAME --year Y`: the candidate workbook of a support programme
for staff, from the loaded census (firm_year with its firm_id). Registered in census_cli/main.py."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:  # pandas is imported where used, so every other command starts fast
    import pandas as pd

console = Console()
err = Console(stderr=True)

MEASURES = ["revenue_mil_krw", "employees_total", "export_mil_krw", "rnd_mil_krw", "employees_regular"]
FIRM = ["firm_name", "brn", "complex_name", "ksic_code", "industry_name"]


def candidate_table(firm_year: pd.DataFrame, programme: str, year: int, config_dir: Path, key: str = "firm_id"):
    """(programme preset, candidate table, counts by result) for one programme and census year."""
    from pipeline.growth import load_programmes, panel_indicators, screen
    from pipeline.growth.workbook import candidates

    presets = load_programmes(Path(config_dir) / "growth" / "programmes.yaml")
    if programme not in presets.programmes:
        known = ", ".join(presets.programmes)
        raise KeyError(f"'{programme}' 사업이 설정에 없습니다 / no such programme (config/growth/programmes.yaml: {known})")
    if year not in set(firm_year["census_year"].astype(int)):
        raise KeyError(f"{year}년 자료가 없습니다 / no census data for {year}")
    indicators = panel_indicators(firm_year, key)
    screened = screen(indicators[indicators["census_year"] == year], presets, key, only=[programme])
    counts = screened["result"].value_counts()
    return presets.programmes[programme], candidates(screened, indicators, firm_year, key), counts


def _firm_year(settings) -> pd.DataFrame:
    from pipeline.storage import connect_readonly

    if not settings.duckdb_path.exists():
        raise FileNotFoundError(f"적재된 자료가 없습니다. 먼저 census run / no loaded census yet: run `census run` first ({settings.duckdb_path})")
    with connect_readonly(settings) as con:
        available = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'firm_year_firm'").fetchall()}
        if not available:
            raise FileNotFoundError("firm_year_firm 뷰가 없습니다 (신원 연결 전) / no firm_year_firm view: run `census run` first")
        cols = ["firm_id", "census_year", *[c for c in MEASURES + FIRM if c in available]]
        sql = "SELECT " + ", ".join(f'"{c}"' for c in cols) + " FROM firm_year_firm"
        frame = con.execute(sql).df()
    # A row delivered twice shares its firm_id: one row per firm-year.
    return frame.sort_values(["firm_id", "census_year"]).drop_duplicates(["firm_id", "census_year"])


def screen_command(
    programme: Annotated[str, typer.Option("--programme", "-p", help="사업명 (config/growth/programmes.yaml) / programme preset")],
    year: Annotated[int, typer.Option("--year", "-y", help="조사연도 / census year")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="엑셀 파일 / workbook to write")] = None,
) -> None:
    """지원사업 후보기업 엑셀을 만듭니다 / write the candidate workbook of a support programme."""
    from pipeline.growth import GrowthConfigError, PanelInputError
    from pipeline.growth.workbook import write_workbook
    from pipeline.settings import load_settings

    settings = load_settings()
    try:
        preset, table, counts = candidate_table(_firm_year(settings), programme, year, settings.config_dir)
    except (FileNotFoundError, KeyError, GrowthConfigError, PanelInputError) as e:
        err.print(str(e.args[0] if e.args else e), style="red", markup=False)
        raise typer.Exit(1) from None
    path = out or settings.reports_dir / f"screen_{programme.replace(' ', '_')}_{year}.xlsx"
    try:
        write_workbook(path, preset, year, table)
    except OSError as e:
        err.print(f"파일을 쓸 수 없습니다 / cannot write {path}: {e.strerror}", style="red", markup=False)
        raise typer.Exit(1) from None
    summary = ", ".join(f"{k} {int(v):,}" for k, v in counts.items())
    console.print(f"{preset.name} {year}: {summary}", markup=False)
    console.print(f"후보 {len(table):,}개 기업 / candidates written: {path}", markup=False)
