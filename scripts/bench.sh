#!/usr/bin/env bash
# make bench [SCALE=small|full]: measurements of issue 8 on a throwaway PostgreSQL started here.
# Datasets are cached in bench/data/ (by seed and schema); results go to bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE="${SCALE:-full}"
./scripts/install.sh test
stamp=".venv/.stamp-bench-$(sha256sum requirements/bench.txt | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> uv: installing requirements/bench.txt"
  .venv/bin/uv pip install --quiet --python .venv/bin/python -r requirements/bench.txt
  touch "$stamp"
fi
# shellcheck source=scripts/services.sh
source scripts/services.sh
trap stop_services EXIT INT TERM
start_services
export DJANGO_SETTINGS_MODULE=prevent_cms.settings.test
.venv/bin/python -m bench.run --scale "$SCALE" "$@"
