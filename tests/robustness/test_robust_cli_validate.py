"""`census validate FILE` on bad deliveries: the file name exactly as it is, the outcome in Korean
and English, and never a traceback."""

from __future__ import annotations

from typer.testing import CliRunner

from census_cli.main import app
from tests.robustness import bad_deliveries as bad


def validate(path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def test_values_that_fit_no_type_are_reported_not_raised_and_the_name_is_printed_as_is(project):
    path = bad.csv_file(project.raw_dir / "2024_[red]시흥[bold].csv",
                        bad.with_values("설립연월일", ["9999-12-31", "1677-09-21"]))
    code, output = validate(path)
    assert code == 0, output
    assert "2024_[red]시흥[bold].csv" in output


def test_a_refused_delivery_exits_non_zero_with_its_message(project):
    code, output = validate(bad.zip_bomb(project.raw_dir, inflated_mb=2100))
    assert code == 1
    assert "2024_bomb.xlsx" in output and "load.max_inflated_mb" in output.replace("\n", "")
