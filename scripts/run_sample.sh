#!/usr/bin/env bash
# Installs the project and runs the main job on the sample years in data/raw (the README's first command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/census run "$@"
