"""`census autocode examples 2022 2023`: the agency's coded firm-years of chosen years as training examples
for the KSIC autocoder (pipeline/ksic/autocode/agency.py), written into the config folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="KSIC 자동 코딩 / KSIC autocoding", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

DEFAULT_FILE = "agency_examples.csv"


@app.command("examples")
def examples(
    years: Annotated[list[int], typer.Argument(help="학습에 쓸 적재 연도 / loaded years to learn from")],
    out: Annotated[Path | None, typer.Option(help=f"쓸 파일 / file to write (default: config/classification/{DEFAULT_FILE})")] = None,
) -> None:
    """적재된 연도의 신뢰할 수 있는 코드로 학습 예시를 씁니다 / write training examples from the trusted codes of loaded years."""
    raise typer.Exit(write_examples(years, out))


def write_examples(years: list[int], out: Path | None) -> int:
    from pipeline.ksic.autocode import load_autocode_config
    from pipeline.ksic.autocode.agency import example_paths, examples_from_firm_years
    from pipeline.settings import load_settings
    from pipeline.storage import read_table, table_years

    settings = load_settings()
    config_path = settings.config_path("classification/autocode.yaml")
    loaded = set(table_years(settings, "firm_year"))
    missing = sorted(set(years) - loaded)
    if missing:
        err.print(f"✗ 적재되지 않은 연도 / years not loaded: {missing} (적재된 연도 / loaded: {sorted(loaded) or '-'})",
                  style="red", markup=False)
        return 1
    columns = ["census_year", "ksic_code_source", "ksic_code_confidence", "ksic_subclass", "ksic_target_revision",
               "main_products", "industry_name"]
    firm_year = read_table(settings, "firm_year", year=sorted(set(years)), columns=columns)
    try:
        frame = examples_from_firm_years(firm_year, settings.ksic.target_revision)
    except ValueError as e:
        err.print(f"✗ {e}", style="red", markup=False)
        return 1
    path = out or config_path.parent / DEFAULT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    by_field = frame["field"].value_counts().to_dict()
    console.print(f"예시 {len(frame):,}개 / {len(frame):,} examples ({by_field}) from {sorted(set(years))} → {path}", markup=False)
    declared = example_paths(config_path, load_autocode_config(config_path))
    if path.resolve() not in declared:
        relative = Path(path).resolve()
        try:
            relative = relative.relative_to(config_path.parent.resolve())
        except ValueError:
            pass
        console.print(f"다음 적재부터 쓰려면 {config_path} 에 추가하세요 / to use it from the next load, add to {config_path}:\n"
                      f"  agency_examples: [{relative}]", markup=False)
    else:
        console.print("선언된 예시 파일입니다: 다음 적재에서 모델을 다시 학습하고 모든 연도를 다시 분류합니다 / "
                      "a declared examples file: the next load retrains the model and reclassifies every year", markup=False)
    return 0
