#!/usr/bin/env bash
# The service deployment end to end, without the UI: a real PostgreSQL (Debian packages, installed
# with apt-get when missing) on 127.0.0.1 with a throw-away data folder, `dagster-daemon run`
# against it (deploy/instance/postgres/dagster.yaml) on a throw-away project, a new delivery dropped
# into its data/raw/ for the raw-file sensor, a schedule tick of monthly_reports. Passes when the
# year is in census.duckdb, its report is written and the runs are in Postgres. Everything it
# started is stopped on exit (trap), whatever happened.
#
# With WORKERS=N (N >= 1) the steps run on N Celery workers (dagster-celery, broker: Redis from the
# Debian package redis-server, started here too): every sample year is dropped at once and the
# curated tables must equal those of a single-process `census run` on the same deliveries.
#
#   bash scripts/service_test.sh            # exit 0 = passed, 1 = failed, 3 = apt-get unreachable
#   WORKERS=2 bash scripts/service_test.sh  # the same on two Celery workers, compared with census run
#   KEEP=1 bash scripts/service_test.sh     # keep the work folder (logs) for a look afterwards
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY="$REPO/.venv/bin/python"
WAIT=${SERVICE_TEST_TIMEOUT:-420}
WORK=$(mktemp -d /tmp/census-service.XXXXXX)
chmod 755 "$WORK"
WORKERS=${WORKERS:-0}
DAEMON_PID=""
PG_STARTED=""
REDIS_PID=""
WORKER_PIDS=()

say() { printf '[service_test %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { say "✗ $*"; exit 1; }

stop_group() {  # stop_group PID NAME: SIGTERM to the process group we started, SIGKILL after 30 s
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  say "$2 종료 / stopping $2 (process group $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  [[ -n "$DAEMON_PID" ]] && stop_group "$DAEMON_PID" dagster-daemon
  for pid in "${WORKER_PIDS[@]}"; do stop_group "$pid" "celery worker"; done
  [[ -n "$REDIS_PID" ]] && stop_group "$REDIS_PID" redis-server
  if [[ -n "$PG_STARTED" ]]; then
    say "PostgreSQL 종료 / stopping PostgreSQL"
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [[ $rc -ne 0 ]]; then
    for log in "$WORK/daemon.log" "$WORK"/worker*.log "$WORK/pglog/pg.log"; do
      [[ -f "$log" ]] && { say "--- tail $log"; tail -n 40 "$log"; }
    done
  fi
  if [[ -z "${KEEP:-}" ]]; then rm -rf "$WORK"; else say "작업 폴더 유지 / kept $WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL from the Debian packages -------------------------------------------------------
find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PG_BIN=$(find_pg_bin)
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
  say "PostgreSQL 설치 / installing PostgreSQL (apt-get install postgresql)"
  if ! bash "$REPO/scripts/apt_install.sh" postgresql >"$WORK/apt.log" 2>&1; then
    tail -n 20 "$WORK/apt.log"
    say "✗ apt-get으로 PostgreSQL을 설치할 수 없습니다 / cannot install PostgreSQL with apt-get (no package repository?)"
    exit 3
  fi
  PG_BIN=$(find_pg_bin)
fi
# PostgreSQL refuses to run as root: as root, the server runs as the Debian package's postgres user.
if [[ $(id -u) -eq 0 ]]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
PG_PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/pg" "$WORK/pgsock" "$WORK/pglog"
[[ $(id -u) -eq 0 ]] && chown postgres "$WORK/pg" "$WORK/pgsock" "$WORK/pglog"
say "PostgreSQL $("$PG_BIN/postgres" --version | awk "{print \$3}") 시작 / starting on 127.0.0.1:$PG_PORT"
as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U census --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log"; fail "initdb failed"; }
PG_STARTED=1
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pglog/pg.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $PG_PORT -k $WORK/pgsock -c fsync=off" start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U census census

export CENSUS_PG_HOST=127.0.0.1 CENSUS_PG_PORT=$PG_PORT CENSUS_PG_USER=census CENSUS_PG_PASSWORD=census CENSUS_PG_DB=census
export CENSUS_DAGSTER_STORAGE="$WORK/dagster/storage" CENSUS_DAGSTER_LOGS="$WORK/dagster/logs"
# The shipped instance file, in a home of its own (Dagster writes its queue and logs beside it).
export DAGSTER_HOME="$WORK/dagster_home"
mkdir -p "$DAGSTER_HOME" && cp "$REPO/deploy/instance/postgres/dagster.yaml" "$DAGSTER_HOME/"
psql_q() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U census -d census -tAc "$1"; }

# --- a throw-away project: the sample's deliveries, the monthly report schedule every minute ----
SAMPLE_FIRMS=${SAMPLE_FIRMS:-300}
cd "$REPO"
export PYTHONPATH="$REPO"
"$PY" - "$WORK/project" <<'EOF'
import sys
from pathlib import Path

import yaml

from pipeline.settings import PACKAGE_ROOT, make_project

root = Path(sys.argv[1])
make_project(root, PACKAGE_ROOT.parent / "shared" / "reference")
# The schedule ticks within the test: monthly_reports every minute instead of every month.
reports = root / "config" / "reports.yaml"
raw = yaml.safe_load(reports.read_text(encoding="utf-8"))
raw.setdefault("schedule", {})["monthly_cron"] = "* * * * *"
reports.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
EOF
export CENSUS_SETTINGS="$WORK/project/config/settings.yaml"
"$REPO/.venv/bin/census" sample --firms "$SAMPLE_FIRMS" --out "$WORK/deliveries" >/dev/null
DELIVERY=$(ls "$WORK/deliveries"/2024_* | head -n 1)
[[ -d "$WORK/deliveries/clusters" ]] && cp -r "$WORK/deliveries/clusters" "$WORK/project/data/raw/"

# --- Redis and the Celery workers (WORKERS=N) ---------------------------------------------------------
if (( WORKERS > 0 )); then
  if ! command -v redis-server >/dev/null; then
    say "Redis 설치 / installing Redis (apt-get install redis-server)"
    if ! bash "$REPO/scripts/apt_install.sh" redis-server >"$WORK/apt-redis.log" 2>&1; then
      tail -n 20 "$WORK/apt-redis.log"
      say "✗ apt-get으로 Redis를 설치할 수 없습니다 / cannot install Redis with apt-get (no package repository?)"
      exit 3
    fi
  fi
  REDIS_PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  say "Redis $(redis-server --version | awk '{print $3}') 시작 / starting on 127.0.0.1:$REDIS_PORT"
  setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  export CENSUS_EXECUTOR=celery
  export CENSUS_CELERY_BROKER="redis://127.0.0.1:$REDIS_PORT/0" CENSUS_CELERY_BACKEND="redis://127.0.0.1:$REDIS_PORT/1"
  export PATH="$REPO/.venv/bin:$PATH"  # dagster-celery starts `celery` by name
  for i in $(seq 1 "$WORKERS"); do
    setsid "$REPO/.venv/bin/dagster-celery" worker start -A dagster_celery.app -n "census-w$i" -y "$REPO/deploy/celery.yaml" -- --concurrency 1 \
      >"$WORK/worker$i.log" 2>&1 &
    WORKER_PIDS+=($!)
  done
  say "Celery 작업자 $WORKERS개 시작 / started $WORKERS Celery workers"
fi

# --- the daemon, as the systemd unit runs it -------------------------------------------------------
say "dagster-daemon 시작 / starting dagster-daemon (instance: $DAGSTER_HOME)"
setsid "$REPO/.venv/bin/dagster-daemon" run -m assets.definitions >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!

started=$(date +%s)
wait_for() {  # wait_for DESCRIPTION COMMAND...: poll until COMMAND succeeds, or fail after $WAIT s
  local what=$1; shift
  until "$@" >/dev/null 2>&1; do
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "dagster-daemon exited while waiting for: $what"
    for pid in "${WORKER_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a Celery worker exited while waiting for: $what"; done
    (( $(date +%s) - started < WAIT )) || fail "timeout (${WAIT}s) waiting for: $what"
    sleep 3
  done
  say "✓ $what ($(( $(date +%s) - started )) s)"
}

has_skipped_sensor_tick() {
  [[ $(psql_q "select count(*) from job_ticks where type='SENSOR' and status='SKIPPED'") -ge 1 ]]
}
wait_for "the raw-file sensor ran on an empty data/raw (tick SKIPPED in Postgres)" has_skipped_sensor_tick

if (( WORKERS > 0 )); then
  say "새 납품 파일 / new deliveries: $(cd "$WORK/deliveries" && ls *_*.* | tr '\n' ' ')"
  cp "$WORK/deliveries"/*_*.* "$WORK/project/data/raw/"
else
  say "새 납품 파일 / new delivery: $(basename "$DELIVERY")"
  cp "$DELIVERY" "$WORK/project/data/raw/"
fi
YEARS_DROPPED=$(ls "$WORK/project/data/raw"/*_*.* | wc -l)

year_loaded() {
  "$PY" - <<'EOF'
import sys

import duckdb

from pipeline.settings import load_settings

db = load_settings().curated_dir / "census.duckdb"
with duckdb.connect(str(db), read_only=True) as con:
    n = con.execute("select count(*) from firm_year where census_year = 2024").fetchone()[0]
sys.exit(0 if n > 0 else 1)
EOF
}
report_written() { ls "$WORK/project/data/curated/reports/2024/"*.xlsx "$WORK/project/data/curated/reports/2024/"*.html; }
sensor_run_succeeded() {
  [[ $(psql_q "select count(*) from runs r join run_tags t on t.run_id = r.run_id where r.status='SUCCESS' and t.key='dagster/sensor_name' and t.value='raw_file_sensor'") -ge "$YEARS_DROPPED" ]]
}
schedule_run_succeeded() {
  [[ $(psql_q "select count(*) from runs r join run_tags t on t.run_id = r.run_id where r.status='SUCCESS' and t.key='dagster/schedule_name' and t.value='monthly_reports'") -ge 1 ]]
}
wait_for "the sensor's census_load runs ($YEARS_DROPPED) succeeded (runs in Postgres)" sensor_run_succeeded
wait_for "census.duckdb has firm_year rows of 2024" year_loaded
wait_for "a monthly_reports schedule run succeeded" schedule_run_succeeded
wait_for "the 2024 report is written (xlsx + html)" report_written
say "Postgres: $(psql_q "select count(*) from runs") runs, $(psql_q "select count(*) from event_logs") events"

if (( WORKERS > 0 )); then
  # Every worker executed steps (Celery logs each task it finished), none ran inside the run.
  for i in $(seq 1 "$WORKERS"); do
    n=$(grep -c "succeeded in" "$WORK/worker$i.log" || true)
    say "worker census-w$i: $n steps"
    (( n > 0 )) || fail "worker census-w$i executed no step"
  done
  if grep -q "Launching subprocess for" "$WORK/daemon.log"; then fail "steps ran as subprocesses of a run, not on the workers"; fi
  # The same deliveries through one process (`census run`, embedded SQLite instance): same tables.
  say "단일 프로세스 비교 / the same deliveries through census run (one process)"
  "$PY" -c "import sys; from pathlib import Path; from pipeline.settings import PACKAGE_ROOT, make_project; make_project(Path(sys.argv[1]), PACKAGE_ROOT.parent / 'shared' / 'reference')" "$WORK/single"
  cp "$WORK/deliveries"/*_*.* "$WORK/single/data/raw/"
  [[ -d "$WORK/deliveries/clusters" ]] && cp -r "$WORK/deliveries/clusters" "$WORK/single/data/raw/"
  mkdir -p "$WORK/single_home" && cp "$REPO/.dagster_home/dagster.yaml" "$WORK/single_home/"
  env -u CENSUS_EXECUTOR -u CENSUS_INSTANCE DAGSTER_HOME="$WORK/single_home" CENSUS_SETTINGS="$WORK/single/config/settings.yaml" \
    "$REPO/.venv/bin/census" run >"$WORK/single_run.log" 2>&1 || { cat "$WORK/single_run.log"; fail "census run failed"; }
  "$PY" "$REPO/scripts/compare_projects.py" "$WORK/project/config/settings.yaml" "$WORK/single/config/settings.yaml" \
    || fail "the workers' tables differ from census run's"
  say "✓ 작업자 결과 = 단일 프로세스 결과 / the workers' tables equal census run's"
fi
say "✓ 서비스 시험 통과 / service test passed in $(( $(date +%s) - started )) s after the daemon started"
