#!/usr/bin/env bash
# Installs the project into .venv on a machine that has only Python 3.11 and pip, with exactly the
# versions in uv.lock (every transitive package too): a census year rerun next year on a fresh
# machine gets the same stack. uv installs it in ~8 s against pip's ~40 s; bytecode is compiled at
# install time because `import great_expectations` otherwise costs ~10 s on every start.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
# The uv that wrote uv.lock; a newer one reads it too, an older one may not.
UV_VERSION=0.13.9
if [ "$("$PY" -m uv --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  "$PY" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
# --locked: stop with uv's message when pyproject.toml and uv.lock disagree (run `uv lock`),
# rather than resolving anew. The project itself is installed editable, with the dev extras.
"$PY" -m uv sync --quiet --locked --extra dev --python "$PY" --compile-bytecode
