"""The `census` script ends without the interpreter's teardown once a command has finished
(census_cli/fast_exit.py): its exit status and its last lines must still be what the command
said, as a scheduler or a shell script sees them through a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CENSUS = str(Path(sys.executable).parent / "census")


def _census(project, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CENSUS_SETTINGS": str(project.config_dir / "settings.yaml"), "PYTHONWARNINGS": "ignore"}
    return subprocess.run([CENSUS, *args], env=env, capture_output=True, text=True, timeout=120)


def test_a_run_with_nothing_to_load_fails_with_status_1_and_says_why(project):
    result = _census(project, "run")
    assert result.returncode == 1
    assert "적재할 파일이 없습니다 / no census files in" in result.stderr


def test_a_config_typo_ends_with_status_2_and_its_one_line(project):
    rules = project.config_dir / "validation.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\nno_such_key: 1\n", encoding="utf-8")
    result = _census(project, "run")
    assert result.returncode == 2
    assert "설정 오류 / configuration error" in result.stderr and "no_such_key" in result.stderr


def test_a_finished_command_has_printed_everything_through_the_pipe(project):
    result = _census(project, "--help")
    assert result.returncode == 0
    # The last command of the help text: a buffer not flushed before the process ended would
    # cut the listing short.
    assert result.stdout.rstrip().endswith("╯")
    assert "run" in result.stdout and "validate" in result.stdout


def test_output_still_in_python_buffers_is_written_before_the_process_ends():
    """Rich flushes its own lines, so the test above would pass without fast_exit's flush; a plain
    print to a pipe stays in Python's buffer until exit, and os._exit alone would drop it."""
    code = ("import sys; from census_cli import fast_exit; print('마지막 줄 / last line'); "
            "fast_exit.record(3); sys.exit(3)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as a service runs it
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[2], env=env)
    assert result.returncode == 3
    assert result.stdout == "마지막 줄 / last line\n"
