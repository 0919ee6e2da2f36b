"""The code location loads the way `dagster dev` and `dg check defs` load it."""

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_dg_check_defs_accepts_the_code_location():
    env = {**os.environ, "DAGSTER_HOME": str(REPO / ".dagster_home")}
    proc = subprocess.run([str(REPO / ".venv/bin/dg"), "check", "defs"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "All definitions loaded successfully" in proc.stdout + proc.stderr
