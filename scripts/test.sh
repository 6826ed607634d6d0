#!/usr/bin/env bash
# The whole suite against real PostgreSQL and Redis started here, then stopped whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step says how long into the run it started: where the minutes before pytest go.
step() { printf '==> [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
./scripts/install.sh test
step "services: PostgreSQL and Redis"
# shellcheck source=scripts/services.sh
source scripts/services.sh
with_test_services

# Beside the static checks, in the background: the migrated database every pytest phase
# copies (TEST_DATABASE_TEMPLATE), mypy, and the two vulnerability audits, which mostly wait
# on the network. Their output is printed, in order, once the static checks are done.
background_dir="$(mktemp -d)"
background_jobs=()
background() {  # background NAME COMMAND...: run COMMAND, its output kept for later
  local name="$1"
  shift
  "$@" >"$background_dir/$name.log" 2>&1 &
  background_jobs+=("$!:$name")
}
migrate_template() {
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres prevent_test_template
  DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/prevent_test_template" \
    .venv/bin/python manage.py migrate --no-input -v 0
  echo "migrated prevent_test_template: each test database is a copy of it"
}
audit_python() {
  # --strict: a package the service cannot answer for is an error, never a silent "no known
  # vulnerabilities". Unreachable service: reported as NOT AUDITED (fatal with PIP_AUDIT_REQUIRED=1).
  local audit_log
  audit_log="$(mktemp)"
  if .venv/bin/pip-audit -r requirements/base.txt --progress-spinner off --strict >"$audit_log" 2>&1; then
    cat "$audit_log"
  elif grep -qE "could not be audited|ConnectionError|Failed to resolve|Max retries" "$audit_log"; then
    grep -E "ERROR|Error" "$audit_log" | tail -3
    echo "!!! pip-audit: NOT AUDITED - the vulnerability service could not be reached"
    [ "${PIP_AUDIT_REQUIRED:-0}" = "1" ] && return 1
  else
    cat "$audit_log"
    echo "pip-audit FAILED: known vulnerabilities in requirements/base.txt"
    return 1
  fi
  rm -f "$audit_log"
}
background "migrate the test database template" migrate_template
# mypy is the longest static check (some 15 s on one core): it runs beside the others.
background "mypy (services, selectors, permissions and API modules; [tool.mypy] in pyproject.toml)" \
  .venv/bin/mypy
background "pip-audit (known vulnerabilities in the pinned runtime dependencies)" audit_python
background "npm audit (known vulnerabilities in GOV.UK Frontend; NOT AUDITED when unreachable)" \
  ./scripts/npm_audit.sh

step "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
step "bandit (medium and high findings fail; each nosec names its reason)"
.venv/bin/bandit -q -r . -x ./tests,./.venv,./node_modules,./static,./staticfiles,./media,'./.test-media*','*/migrations/*' -ll
step "migrations are up to date"
.venv/bin/python manage.py makemigrations --check --dry-run
step "deployment checks under production settings"
env -u DJANGO_ALLOW_ASYNC_UNSAFE DJANGO_SETTINGS_MODULE=prevent_cms.settings.production SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  ALLOWED_HOSTS=prevent.example.gov.uk .venv/bin/python manage.py check --deploy --fail-level WARNING
background_failed=0
for job in "${background_jobs[@]}"; do
  pid="${job%%:*}"
  name="${job#*:}"
  step "$name"
  status=0
  wait "$pid" || status=$?
  cat "$background_dir/$name.log"
  if [ "$status" -ne 0 ]; then
    echo "!!! $name failed (exit $status)" >&2
    background_failed=1
  fi
done
[ "$background_failed" -eq 0 ] || exit 1
rm -rf "$background_dir"
export TEST_DATABASE_TEMPLATE=prevent_test_template
# Both cores (pytest-xdist; a test database, media directory and Redis database per worker;
# tests marked xdist_group, such as one matrix operation's people, stay on one worker),
# then, alone, the tests marked serial: they stop the shared PostgreSQL or Redis, or time
# themselves. Arguments (make test ARGS=...) reach both phases; a phase they leave empty
# (pytest exit code 5, no tests) is fine as long as the other ran something.
step "pytest on ${PYTEST_WORKERS:-2} workers (all but the serial tests)"
parallel=0
# The 30 slowest steps are printed: where the next minute of the suite is to be won.
.venv/bin/pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup --serial=exclude --durations=30 "$@" \
  || parallel=$?
step "pytest, serial tests alone"
serial=0
.venv/bin/pytest --serial=only "$@" || serial=$?
step "finished"
if [ "$parallel" -eq 5 ] && [ "$serial" -eq 5 ]; then
  echo "pytest: no tests selected" >&2
  exit 5
fi
for status in "$parallel" "$serial"; do
  if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi
done
