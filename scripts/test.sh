#!/usr/bin/env bash
# Installs the project and runs the whole test suite (the README's second command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DAGSTER_HOME="$PWD/.dagster_home"
exec .venv/bin/python -m pytest -q "$@"
