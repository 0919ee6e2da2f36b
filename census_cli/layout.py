"""`census layout new FILE`: a starter layout for a source no layout fits yet, with the guessed
mappings printed for the analyst to confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="배달 양식 파일 / delivery layouts (config/layouts)", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command("new")
def new(
    file: Annotated[Path, typer.Argument(help="새 자료 파일 / the new source's file")],
    out: Annotated[Path | None, typer.Option(help="쓸 양식 파일 / layout file to write (default: config/layouts/<name>.yaml)")] = None,
    name: Annotated[str | None, typer.Option(help="양식 이름 / layout name (default: from the file name)")] = None,
    force: Annotated[bool, typer.Option(help="있는 파일을 덮어씁니다 / overwrite an existing file")] = False,
) -> None:
    """파일의 머리글로 양식 초안을 만듭니다 / write a starter layout from the file's headers."""
    raise typer.Exit(new_layout(file, out, name, force))


def new_layout(file: Path, out: Path | None, name: str | None, force: bool) -> int:
    from pipeline.layout_guess import guess_header, layout_name, load_synonyms, starter_layout
    from pipeline.layouts import load_layouts, parse_layout
    from pipeline.read import DeliveryError
    from pipeline.read.delivery import probe_delivery
    from pipeline.read.header import choose_header
    from pipeline.schema import canonical_columns
    from pipeline.settings import load_settings

    settings = load_settings()
    load = settings.section("load")
    catalogue = canonical_columns(settings.columns_path)
    try:
        layouts = load_layouts(settings.layouts_dir, settings.columns_path)
        synonyms = load_synonyms(settings.config_path("layout_guess.yaml"), catalogue)
        probed = probe_delivery(file, load.get("header_scan_rows", 30))
    except DeliveryError as e:
        err.print(f"✗ {e}", style="red", markup=False)
        return 1
    fits = choose_header(probed.sheets, layouts)
    if fits is not None and fits.match.score >= load.get("min_layout_match", 0.6) and not force:
        console.print(f"{file.name}: 이미 양식 '{fits.match.layout.name}'({fits.match.score:.0%})이 맞습니다. census validate 로 검사하세요 / "
                      f"layout '{fits.match.layout.name}' already fits ({fits.match.score:.0%}); run census validate", markup=False)
        return 0

    best = guess_header(probed.sheets, catalogue, layouts, synonyms)
    if best is None:
        err.print(f"✗ {file.name}: 머리글로 보이는 행이 없습니다 / no row looks like a header", style="red", markup=False)
        return 1
    sheet, row, depth, headers, guesses = best
    numbers = probed.row_numbers[sheet][row: row + depth]
    rows_text = "-".join(str(n) for n in (numbers[0], numbers[-1])) if depth == 2 else str(numbers[0])
    where = f"{probed.format}{', ' + probed.encoding if probed.encoding else ''}, " + (
        f"row {rows_text}" if probed.format in ("csv", "html") else f"sheet {probed.sheet_names[sheet]}, row {rows_text}")

    layout = name or layout_name(file.stem)
    taken = {existing.name for existing in layouts}
    if name is None and layout in taken:  # names must be unique across config/layouts
        layout = next(f"{layout}_{n}" for n in range(2, 1000) if f"{layout}_{n}" not in taken)
    target = out or settings.layouts_dir / f"{layout}.yaml"
    if target.exists() and not force:
        err.print(f"✗ {target}: 이미 있습니다. --force 로 덮어쓰거나 --out 으로 다른 파일을 고르세요 / exists; use --force or --out",
                  style="red", markup=False)
        return 1
    text = starter_layout(layout, file.name, where, headers, guesses)
    try:
        parse_layout(yaml.safe_load(text), target, catalogue)  # what we write must load
    except DeliveryError as e:
        err.print(f"✗ 초안을 만들지 못했습니다 / could not build the draft: {e}", style="red", markup=False)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")

    table = Table(title=f"{file.name} ({where}) → {target}")
    for column in ("열 / header", "표준 열 / canonical", "근거 / resembles", "유사도 / score"):
        table.add_column(column)
    for g in guesses:
        table.add_row(g.header, g.canonical + (" (fallback)" if g.role == "fallback" else ""), g.evidence, f"{g.score:.2f}")
    console.print(table)
    used = {g.position for g in guesses}
    unmapped = [h for i, h in enumerate(headers) if h and i not in used]
    if unmapped:
        console.print(f"대응하지 않은 열 / not mapped: {', '.join(unmapped)}", markup=False)
    if not any(g.canonical == "firm_name" for g in guesses):
        console.print("! 업체명 열을 찾지 못했습니다: 양식 파일에 적으세요 / no firm-name column found: write it in the layout", style="yellow")
    console.print(f"다음: {target} 를 확인·수정한 뒤 'census validate {file}' / next: check {target}, then 'census validate {file}'", markup=False)
    return 0
