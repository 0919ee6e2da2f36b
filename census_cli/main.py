"""`census` command line. Commands print clear messages in Korean and English and exit non-zero
on failure; no Python traceback reaches an analyst."""

from __future__ import annotations

# First, so that its exit handler is the last to run.
from census_cli import fast_exit

# isort: split

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from census_cli.instance import dagster_home
from pipeline.config import ConfigError
from pipeline.settings import PACKAGE_ROOT

# The Dagster instance (embedded .dagster_home/ unless CENSUS_INSTANCE=postgres), before anything
# imports dagster. A wrong selection is reported when a command runs, as a config error.
try:
    os.environ["DAGSTER_HOME"] = str(dagster_home(PACKAGE_ROOT, os.environ))
    INSTANCE_ERROR: ConfigError | None = None
except ConfigError as e:
    INSTANCE_ERROR = e

console = Console()
err = Console(stderr=True)


class CensusApp(typer.Typer):
    """The command group; a typo in any config file ends any command with one line naming the
    file and the key (the installed `census` script calls the app object itself)."""

    def __call__(self, *args, **kwargs):
        try:
            if INSTANCE_ERROR is not None:
                raise INSTANCE_ERROR
            return super().__call__(*args, **kwargs)
        except ConfigError as e:
            err.print(f"✗ 설정 오류 / configuration error: {e}", style="red", markup=False, soft_wrap=True)
            fast_exit.record(2)
            sys.exit(2)
        except SystemExit as e:
            fast_exit.record(e.code)
            raise


app = CensusApp(help="시흥 기업실태조사 파이프라인 / firm-census pipeline", no_args_is_help=True, pretty_exceptions_enable=False)


@app.command()
def run(
    year: Annotated[list[int] | None, typer.Option("--year", "-y", help="연도 (여러 번 가능) / census year(s); default: every year in data/raw")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="바뀌지 않은 연도도 다시 적재 / load unchanged years again and rebuild the databases")] = False,
    accept_duplicate: Annotated[bool, typer.Option("--accept-duplicate", help="다른 연도 파일과 같은 파일도 적재 / load a delivery byte-identical to another year's file")] = False,
) -> None:
    """data/raw의 연도별 파일을 적재합니다 (Dagster 작업으로 실행) / load the census years through the Dagster job."""
    from census_cli.running import run_years

    ok = run_years(year or [], console, err, rebuild=rebuild, accept_duplicate=accept_duplicate)
    raise typer.Exit(0 if ok else 1)


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="검사할 파일 / the delivery to check")],
    year: Annotated[int | None, typer.Option("--year", "-y", help="조사연도 (파일 이름에 없을 때) / census year if the file name has none")] = None,
    report: Annotated[bool, typer.Option("--report", help="검증 보고서(HTML·엑셀)를 씁니다 / write the validation report (HTML and workbook)")] = False,
    out: Annotated[Path | None, typer.Option(help="보고서 폴더 / report folder (default data/curated/reports/validation/unloaded/<file>)")] = None,
) -> None:
    """파일을 읽고 검사해 결과를 보여줍니다. 적재하지 않습니다 / read and check a file without writing curated data."""
    from census_cli.validating import validate_file

    raise typer.Exit(validate_file(file, year, console, err, report=report or out is not None, out=out))


@app.command()
def sample(
    out: Annotated[Path, typer.Option(help="출력 폴더 / output folder")] = PACKAGE_ROOT / "data" / "raw",
    firms: Annotated[int, typer.Option(help="기업 수 / number of firms (100 - 1,000,000)", min=100, max=1_000_000)] = 4000,
    seed: Annotated[int, typer.Option(help="난수 시드 / random seed (the shipped sample uses 20241231)")] = 20241231,
) -> None:
    """표본 연도 파일을 생성합니다 / generate sample census deliveries (the defaults reproduce data/raw)."""
    from census_sample import sample_command

    with console.status(f"{firms:,} 기업 생성 중 / generating {firms:,} firms ..."):
        paths = sample_command(firms, seed, out)
    for y, p in sorted(paths.items()):
        console.print(f"{y}: {p}")


@app.command()
def ui() -> None:
    """Dagster 웹 화면을 엽니다 / start the Dagster UI (dagster dev) on this project."""
    os.execvp(sys.executable, [sys.executable, "-m", "dagster", "dev", "-m", "assets.definitions"])


# Research database, reports and data dictionary (census_cli/research.py), layouts, screening.
from census_cli import autocode, layout, research, screen, status  # noqa: E402

app.command("status")(status.status_command)
app.callback()(status.version_option)  # census --version

app.command()(research.query)
app.command()(research.shell)
app.command()(research.report)
app.command()(research.docs)
app.command("research-build")(research.research_build)
app.command("research-key")(research.research_key)
app.add_typer(layout.app, name="layout")  # census layout new FILE
app.command("screen")(screen.screen_command)
app.add_typer(autocode.app, name="autocode")  # census autocode examples 2023 2024

# The multilingual B2B directory (census_cli/directory.py).
from census_cli import directory  # noqa: E402

app.add_typer(directory.app, name="directory")


def main() -> None:
    app()
