#!/usr/bin/env bash
# schemathesis with every check, for every role, an anonymous caller and a chair of another
# local authority, against a live server on PostgreSQL (issue 23): at least 10,000 requests,
# 0 failures. make test runs a shorter pass of the same test.
#
# The default (examples, fuzzing with valid and invalid data, stateful links; 7 examples) is
# some 14,500 test cases in about 23 minutes on a busy 2-core machine. The coverage phase
# (every boundary and every wrong type of every field) is some 10,000 test cases and about
# 17 minutes an identity, hours for all ten: add it for some identities with
# API_CHECK_COVERAGE_IDENTITIES=referrer,prevent_officer, or for all with
# API_CHECK_PHASES=examples,coverage,fuzzing,stateful.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh test
# shellcheck source=scripts/services.sh
source scripts/services.sh
with_test_services
export API_CHECK_PHASES="${API_CHECK_PHASES:-examples,fuzzing,stateful}"
export API_CHECK_EXAMPLES="${API_CHECK_EXAMPLES:-7}"
export API_CHECK_MINIMUM_REQUESTS="${API_CHECK_MINIMUM_REQUESTS:-10000}"
.venv/bin/pytest tests/hostile/test_api_check.py -p no:randomly -s "$@"
