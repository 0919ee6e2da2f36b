#!/usr/bin/env bash
# Installs the project and runs the whole test suite (the README's second command): first every
# test but the service group, then the service group (marker `service`: real PostgreSQL and
# dagster-daemon started and stopped by scripts/service_test.sh, about 3.5 min). With arguments,
# pytest runs exactly those.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DAGSTER_HOME="$PWD/.dagster_home"
if [[ $# -gt 0 ]]; then
  exec .venv/bin/python -m pytest -q "$@"
fi
.venv/bin/python -m pytest -q -m "not service"
exec .venv/bin/python -m pytest -q -rs -m service
