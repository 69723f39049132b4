#!/usr/bin/env bash
# Runs every test: installs what is missing (libgtk-3-0, redis-server, chromium, node), fills models/, builds the
# solution (benchmarks included), runs all .NET test projects, then the browser tests of the try-it page against
# the same Release build, and ends with one line "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh" --with-redis
"$root/scripts/fetch-models.sh"

log="$root/artifacts/test-output.log"
web_log="$root/artifacts/web-test-output.log"
mkdir -p "$(dirname "$log")"

dotnet build FaceObject.sln -c Release -nologo -v quiet || exit 1
# Each test project ends with a line "Passed!  - Failed: F, Passed: P, ..."; the sum of those is the closing line.
set +e
dotnet test FaceObject.sln -c Release --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

read -r passed failed < <(sed -n 's/.*\(Passed\|Failed\)! *- Failed: *\([0-9]*\), Passed: *\([0-9]*\).*/\2 \3/p' "$log" \
  | awk '{ f += $1; p += $2 } END { print p + 0, f + 0 }')

# Browser tests (tests/FaceObject.Web.Tests): node's test runner prints "# pass N" and "# fail N" in TAP.
set +e
(cd "$root/tests/FaceObject.Web.Tests" && npm ci --no-audit --no-fund --loglevel=error && node --test --test-reporter=tap) 2>&1 | tee "$web_log"
web_status=${PIPESTATUS[0]}
set -e
read -r web_passed web_failed < <(awk '/^# pass [0-9]+$/ { p = $3 } /^# fail [0-9]+$/ { f = $3 } END { print p + 0, f + 0 }' "$web_log")
# A run that broke before reporting (npm ci, a missing browser) still counts as a failure.
if [[ $web_status -ne 0 && $web_failed -eq 0 ]]; then
  web_failed=1
fi
passed=$((passed + web_passed))
failed=$((failed + web_failed))

echo "${passed} passed, ${failed} failed"
if [[ $status -ne 0 || $web_status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then
  exit 1
fi
