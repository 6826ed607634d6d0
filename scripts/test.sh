#!/usr/bin/env bash
# The whole suite against real PostgreSQL and Redis started here, then stopped whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh test
# shellcheck source=scripts/services.sh
source scripts/services.sh
trap stop_services EXIT INT TERM
start_services

export DJANGO_SETTINGS_MODULE=prevent_cms.settings.test
export DJANGO_ALLOW_ASYNC_UNSAFE=true

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> migrations are up to date"
.venv/bin/python manage.py makemigrations --check --dry-run
echo "==> deployment checks under production settings"
DJANGO_SETTINGS_MODULE=prevent_cms.settings.production SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  ALLOWED_HOSTS=prevent.example.gov.uk .venv/bin/python manage.py check --deploy --fail-level WARNING
echo "==> pytest"
.venv/bin/pytest "$@"
