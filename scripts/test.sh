#!/usr/bin/env bash
# Installs the project and runs the whole test suite (the README's second command). The service
# group (marker `service`: real PostgreSQL and dagster-daemon started and stopped by
# scripts/service_test.sh, about 3 min, mostly waiting on servers and sensor ticks) runs in the
# background while every other test runs on all cores (pytest-xdist; a test file stays on one
# worker, so its module fixtures are built once). Its output is printed after the main run.
# With arguments, pytest runs exactly those, in one process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DAGSTER_HOME="$PWD/.dagster_home"
if [[ $# -gt 0 ]]; then
  exec .venv/bin/python -m pytest -q "$@"
fi
service_log=$(mktemp /tmp/census-service-tests.XXXXXX)
.venv/bin/python -m pytest -q -rs -m service -p no:xdist >"$service_log" 2>&1 &
service_pid=$!
trap 'kill -TERM "$service_pid" 2>/dev/null || true' INT TERM
main_rc=0
.venv/bin/python -m pytest -q -m "not service" -n auto --dist loadfile || main_rc=$?
service_rc=0
wait "$service_pid" || service_rc=$?
echo "----- service group (tests/service, marker service) -----"
cat "$service_log"
rm -f "$service_log"
if [[ $main_rc -ne 0 || $service_rc -ne 0 ]]; then
  echo "실패 / failed: main suite exit $main_rc, service group exit $service_rc" >&2
  exit 1
fi
