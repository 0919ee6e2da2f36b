"""`census validate FILE --report`: the validation report the load would write, for a file that is
not loaded, so the analyst can send it back to the contractor before anything is published."""

from __future__ import annotations

from openpyxl import load_workbook
from typer.testing import CliRunner

from census_cli.main import app
from tests.robustness import bad_deliveries as bad


def _validate(*args) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", *map(str, args)], env={"COLUMNS": "400"})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def _delivery(project):
    # The third firm's registration number has five digits: its row is quarantined.
    rows = bad.with_values("사업자등록번호", [None, None, "12-345"])
    rows[0][bad.col("사업자등록번호")], rows[1][bad.col("사업자등록번호")] = bad.firms()[0][bad.col("사업자등록번호")], bad.firms()[1][bad.col("사업자등록번호")]
    return bad.csv_file(project.raw_dir / "2024_시흥_납품본.csv", rows)


def test_report_of_an_unloaded_file_is_written_beside_the_loads_reports(project):
    path = _delivery(project)
    code, output = _validate(path, "--report")
    folder = project.reports_dir / "validation" / "unloaded" / "2024_시흥_납품본"
    html, xlsx = folder / "validation_2024.html", folder / "validation_2024.xlsx"
    assert html.is_file() and xlsx.is_file(), output
    flat = output.replace("\n", "")
    assert str(html) in flat and str(xlsx) in flat
    # the same report as a load writes: the fix sheet lists the quarantined row with empty
    # correction cells to fill
    sheet = list(load_workbook(xlsx)["고칠 행"].iter_rows(values_only=True))
    quarantined = [r for r in sheet[1:] if r[0] == "격리"]
    assert quarantined and all(r[-3:] == (None, None, None) for r in quarantined)
    assert "2024_시흥_납품본.csv" in html.read_text(encoding="utf-8")
    # nothing loaded, and the report of the loaded year (none yet) is not made or replaced
    assert not (project.reports_dir / "validation" / "validation_2024.html").exists()
    assert not project.parquet_dir.exists() or not any(project.parquet_dir.rglob("*.parquet"))
    # one row in eight fails an error rule: the load would stop, and the report is written all
    # the same (it is what the contractor gets back)
    assert code == 1 and "census run would stop" in flat


def test_out_names_the_folder_and_implies_the_report(project, tmp_path):
    path = _delivery(project)
    code, output = _validate(path, "--out", tmp_path / "to_contractor")
    assert (tmp_path / "to_contractor" / "validation_2024.xlsx").is_file(), output


def test_without_report_nothing_is_written(project):
    path = _delivery(project)
    _validate(path)
    assert not (project.reports_dir / "validation").exists()
