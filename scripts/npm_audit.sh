#!/usr/bin/env bash
# Known vulnerabilities in the runtime front-end dependency (GOV.UK Frontend; axe-core is a
# dev dependency used by the tests only, hence --omit=dev). The same terms as pip-audit in
# scripts/test.sh: a finding fails; an unreachable advisory service prints NOT AUDITED and is
# fatal only with NPM_AUDIT_REQUIRED=1; any other error fails, never a silent pass.
# NPM names the npm to run (the tests point it at a stand-in).
set -uo pipefail
cd "$(dirname "$0")/.."
npm_log="$(mktemp)"
trap 'rm -f "$npm_log"' EXIT
if "${NPM:-npm}" audit --omit=dev >"$npm_log" 2>&1; then
  cat "$npm_log"
  exit 0
fi
# Not reachable: no network, DNS, a proxy or registry that does not serve the audit endpoint
# (it answers 405 or 404 and npm says "audit endpoint returned an error").
if grep -qE "audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|network request .* failed" "$npm_log"; then
  grep -E "error|warn" "$npm_log" | tail -3 >&2
  echo "!!! npm audit: NOT AUDITED - the vulnerability service could not be reached" >&2
  [ "${NPM_AUDIT_REQUIRED:-0}" = "1" ] && exit 1
  exit 0
fi
cat "$npm_log" >&2
echo "npm audit FAILED: known vulnerabilities in the front-end dependencies (package-lock.json)" >&2
exit 1
