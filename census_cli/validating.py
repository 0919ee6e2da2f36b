"""`census validate FILE`: what the loader would make of a file, without writing anything."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from pipeline.load import stage_year_file
from pipeline.read import DeliveryError
from pipeline.settings import load_settings
from pipeline.validation import ValidationConfigError, reconcile, validate_year
from pipeline.validation.report import format_summary


def validate_file(path: Path, year: int | None, console: Console, err: Console) -> int:
    settings = load_settings()
    year = year or settings.year_of_file(path)
    if year is None:
        err.print(f"{path.name}: 파일 이름에 연도가 없습니다. --year 로 알려 주세요 / the file name has no year; pass --year",
                  style="red", markup=False)
        return 2
    try:
        with console.status(f"{escape(path.name)} 읽는 중 / reading ..."):
            staged = stage_year_file(path, year, settings)
            validated = validate_year(staged, settings)
    except DeliveryError as e:
        err.print(f"✗ {e}", style="red", markup=False)
        return 1
    except ValidationConfigError as e:
        err.print(f"✗ 검증 설정 오류 / validation setup error: {e}", style="red", markup=False)
        return 1
    except (OSError, MemoryError) as e:
        # A file that vanished or cannot be opened, a full disk, a machine out of memory: say
        # what happened to which file, not a traceback.
        err.print(f"✗ {path.name}: 읽을 수 없습니다 / cannot be read ({type(e).__name__}: {e})", style="red", markup=False)
        return 1
    console.print(f"[bold]{escape(path.name)}[/bold]  {year}년  format={escape(staged.format)}  "
                  f"sheet={escape(staged.source_sheet)}  layout={escape(staged.layout)}")
    console.print(f"읽은 행 rows read {staged.raw_rows}  (빈 행 blank {staged.blank_rows}, 값 변경 values changed {len(staged.change_log)})",
                  markup=False)
    if staged.ignored_headers:
        console.print(f"양식에 없는 열 (무시) / columns not in the layout (ignored): {', '.join(staged.ignored_headers)}", markup=False)
    console.print(format_summary(validated, reconcile(staged, validated)), markup=False)
    return 0
