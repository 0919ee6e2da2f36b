"""`census validate FILE`: what the loader would make of a file, without writing anything."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from pipeline.ksic.autocode import (
    AutocodeConfigError,
    AutocodeSourceError,
    AutocodeTrainingError,
    ReviewFileError,
)
from pipeline.load import stage_year_file
from pipeline.read import DeliveryError
from pipeline.settings import load_settings
from pipeline.validation import ValidationConfigError, reconcile, validate_year
from pipeline.validation.report import format_summary, unloaded_report_dir, write_validation_report

AUTOCODE_ERRORS = (AutocodeConfigError, AutocodeSourceError, AutocodeTrainingError, ReviewFileError)


def validate_file(path: Path, year: int | None, console: Console, err: Console, report: bool = False,
                  out: Path | None = None) -> int:
    """Exit code 0 when `census run` would load the file, 1 when it would stop or the file cannot
    be read, 2 without a year. With `report`, the validation report the load would write goes to
    `out` (default a folder of its own under reports/validation/unloaded/), blocking or not: it
    is what the analyst sends back to the contractor."""
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
    except AUTOCODE_ERRORS as e:
        # The contradiction check needs the autocoder: its config or reference files are broken.
        err.print(f"✗ KSIC 자동분류 설정 오류 / KSIC autocoder setup error: {e}", style="red", markup=False)
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
    rec = reconcile(staged, validated)
    console.print(format_summary(validated, rec), markup=False)
    if report:
        try:
            paths = write_validation_report(validated, settings, rec, out_dir=out or unloaded_report_dir(settings, path))
        except OSError as e:
            err.print(f"✗ 보고서를 쓸 수 없습니다 / cannot write the report: {e}", style="red", markup=False)
            return 1
        console.print(f"검증 보고서 / validation report: {paths['html']}", markup=False)
        console.print(f"고칠 행 통합문서 / workbook: {paths['xlsx']}", markup=False)
    from pipeline.ksic.autocode import (
        AutocodeConfigError,
        AutocodeSourceError,
        AutocodeTrainingError,
        ReviewFileError,
    )

    try:
        blocking = blocking_failures(validated, rec, settings)
    except (AutocodeConfigError, AutocodeSourceError, AutocodeTrainingError, ReviewFileError) as e:
        err.print(f"✗ 분류할 수 없습니다 / cannot classify: {e}", style="red", markup=False)
        return 1
    for line in blocking:
        err.print(f"✗ {line}", style="red", markup=False)
    if blocking:
        err.print("census run 은 이 파일의 적재를 중단합니다 / census run would stop loading this file", style="red", markup=False)
        return 1
    return 0


def blocking_failures(validated, rec: dict, settings) -> list[str]:
    """The blocking checks `census run` would fail on this file, each named with its share and
    threshold: every suite's error share, the row reconciliation and the unclassified share
    (the year is classified as the load would classify it, nothing is written)."""
    from pipeline.classify import classify_year
    from pipeline.classify.summary import UNCLASSIFIED_CHECK, unclassified_message, unclassified_share
    from pipeline.validation.bridge import reconciliation_verdict, suite_verdict

    share_limit = float(settings.validation.threshold("blocking_error_share"))
    verdicts = [suite_verdict(o, share_limit) for o in validated.outcomes.values()] + [reconciliation_verdict(rec)]
    out = [f"{v.name}: {v.description}" for v in verdicts if v.blocking]
    classified = classify_year(validated.frame, settings, change_log=validated.change_log).firm_year
    share, limit = unclassified_share(classified, "ksic_section"), settings.classification.max_unclassified_share
    if share > limit:
        out.append(f"{UNCLASSIFIED_CHECK} (firm_year): {unclassified_message(share, limit)}")
    return out
