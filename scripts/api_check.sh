#!/usr/bin/env bash
# schemathesis with every check and every phase, for every role, an anonymous caller and a
# chair of another local authority, against a live server on PostgreSQL (issue 23): at least
# 10,000 requests, 0 failures. make test runs a shorter pass of the same test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh test
# shellcheck source=scripts/services.sh
source scripts/services.sh
with_test_services
export API_CHECK_PHASES="${API_CHECK_PHASES:-examples,coverage,fuzzing,stateful}"
export API_CHECK_EXAMPLES="${API_CHECK_EXAMPLES:-25}"
export API_CHECK_MINIMUM_REQUESTS="${API_CHECK_MINIMUM_REQUESTS:-10000}"
.venv/bin/pytest tests/hostile/test_api_check.py -p no:randomly -s "$@"
