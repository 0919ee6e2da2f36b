"""`census directory`: the multilingual B2B directory (static site) and the translator round trip.

    census directory --year 2024                 build the site and print translation coverage
    census directory terms --lang zh --year 2024 export untranslated terms to a workbook
    census directory import FILE.xlsx            fill the translation memory from that workbook
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)
app = typer.Typer(help="다국어 기업 디렉터리 / multilingual B2B directory", no_args_is_help=False)

# Errors a user can cause (bad config, missing reference files, a foreign workbook): a message, no traceback.
def _user_errors() -> tuple[type[Exception], ...]:
    from pipeline.directory.build import NoCuratedYearError
    from pipeline.directory.config import DirectoryConfigError
    from pipeline.directory.glossary import GlossaryError
    from pipeline.directory.memory import TranslationMemoryError
    from pipeline.directory.site import SiteFolderError
    from pipeline.directory.terms import TermsWorkbookError

    return (NoCuratedYearError, DirectoryConfigError, GlossaryError, TranslationMemoryError, SiteFolderError, TermsWorkbookError,
            FileNotFoundError, OSError)


def _fail(message: object) -> typer.Exit:
    err.print(f"[red]{message}[/red]")
    return typer.Exit(1)


def _coverage(result) -> None:
    """Strings per language and source, with each language's translated share."""
    from pipeline.directory import SOURCES

    frame = result.coverage
    table = Table(title="번역 출처별 문자열 수 / translated strings per language and source")
    for c in ("lang", "source", "strings", "share %"):
        table.add_column(c, justify="left" if c in ("lang", "source") else "right")
    for lang, part in frame.groupby("lang", sort=False):
        total = int(part["total"].sum())
        for source in SOURCES:
            n = int(part[source].sum())
            if n:
                table.add_row(lang, source, f"{n:,}", f"{100.0 * n / total:.1f}")
        done = total - int(part["untranslated"].sum())
        table.add_row(lang, "[bold]translated[/bold]", f"{done:,} / {total:,}", f"{100.0 * done / total:.1f}" if total else "", end_section=True)
    console.print(table)


@app.callback(invoke_without_command=True)
def build(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", "-y", help="조사연도 / census year")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="출력 폴더 / output folder (default data/curated/directory/YEAR)")] = None,
) -> None:
    """동의한 기업의 공개 항목으로 4개 언어 정적 사이트를 만듭니다 / write the static directory site of a year."""
    if ctx.invoked_subcommand:
        return
    if year is None:
        raise _fail("--year 를 지정하세요 / give --year")
    from pipeline.directory.build import build_directory
    from pipeline.settings import load_settings

    try:
        with console.status(f"{year} 디렉터리 생성 중 / building the {year} directory ..."):
            result = build_directory(load_settings(), year, out)
    except _user_errors() as e:
        raise _fail(e) from None
    console.print(f"{result.firms_published:,} / {result.firms_in_year:,} 기업 게시 (공개 동의) / firms published (consent given)")
    if not result.consent_column:
        console.print("[yellow]공개 동의 열(publication_consent)이 없어 아무 기업도 게시하지 않았습니다. 연도 레이아웃에 동의 문항을 연결하세요 / "
                      "no publication_consent column: nobody is published; map the consent question in the year's layout[/yellow]")
    if result.unknown_consent:
        console.print("[yellow]알 수 없는 동의 응답 (비공개로 처리) / unknown consent answers, treated as not published: "
                      f"{', '.join(result.unknown_consent[:10])} — config/directory/consent_values.yaml[/yellow]")
    _coverage(result)
    fonts = ", ".join(f"{k}: {v}" for k, v in result.system_font_chars.items() if v)
    if fonts:
        console.print(f"시스템 글꼴로 표시되는 문자 수 / characters drawn by the system CJK font stack: {fonts}")
    console.print(f"{result.pages:,} 쪽 / pages → {result.path / 'index.html'}")


@app.command()
def terms(
    lang: Annotated[str, typer.Option("--lang", "-l", help="언어 en|zh|vi / language")],
    year: Annotated[int, typer.Option("--year", "-y", help="조사연도 / census year")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="엑셀 파일 / workbook (default data/curated/directory/terms_LANG_YEAR.xlsx)")] = None,
) -> None:
    """번역되지 않은 용어를 번역가용 엑셀로 내보냅니다 / export untranslated terms for a translator."""
    if lang not in ("en", "zh", "vi"):
        raise _fail(f"언어는 en, zh, vi 중 하나 / --lang must be en, zh or vi (not '{lang}')")
    from pipeline.directory.build import default_output, directory_config, directory_entries
    from pipeline.directory.terms import export_terms
    from pipeline.settings import load_settings
    from pipeline.storage import read_table

    settings = load_settings()
    target = out or default_output(settings, year).parent / f"terms_{lang}_{year}.xlsx"
    try:
        firm_year = read_table(settings, "firm_year", year)
        if firm_year.empty:
            raise _fail(f"{year}년 자료가 없습니다 / no curated firm_year rows for {year}")
        n = export_terms(directory_entries(firm_year, settings, directory_config(settings)), lang, target, year)
    except _user_errors() as e:
        raise _fail(e) from None
    console.print(f"{n:,} 개 용어 / terms to translate → {target}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="번역가가 채운 엑셀 / the workbook the translator filled")],
) -> None:
    """번역가가 채운 엑셀을 번역 메모리에 넣습니다 / import a filled terms workbook into the translation memory."""
    from pipeline.directory.build import directory_config
    from pipeline.directory.terms import import_terms
    from pipeline.settings import load_settings

    try:
        result = import_terms(file, directory_config(load_settings()).memory_dir)
    except _user_errors() as e:
        raise _fail(e) from None
    console.print(f"{result.lang}: {result.added:,} 추가 / added, {result.updated:,} 수정 / updated, "
                  f"{result.blank:,} 빈 칸 / left blank → {result.memory_path}")
