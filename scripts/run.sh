#!/usr/bin/env bash
# Install, migrate, seed the demo data and serve at http://127.0.0.1:8000.
# With REDIS_URL set, a real Celery worker and beat run beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh run
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-prevent_cms.settings.local}"
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py seed_demo
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A prevent_cms worker --loglevel=INFO --concurrency=2 &
  pids+=($!)
  .venv/bin/celery -A prevent_cms beat --loglevel=INFO &
  pids+=($!)
fi
echo "==> Prevent case management at http://127.0.0.1:8000 (demo password: demo-password)"
.venv/bin/python manage.py runserver 127.0.0.1:8000 --noreload
