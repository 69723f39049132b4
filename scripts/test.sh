#!/usr/bin/env bash
# Runs every test: installs what is missing (libgtk-3-0, redis-server), fills models/, builds the solution
# (benchmarks included), runs all test projects, and ends with one line "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh" --with-redis
"$root/scripts/fetch-models.sh"

log="$root/artifacts/test-output.log"
mkdir -p "$(dirname "$log")"

dotnet build FaceObject.sln -c Release -nologo -v quiet || exit 1
# Each test project ends with a line "Passed!  - Failed: F, Passed: P, ..."; the sum of those is the closing line.
set +e
dotnet test FaceObject.sln -c Release --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

read -r passed failed < <(sed -n 's/.*\(Passed\|Failed\)! *- Failed: *\([0-9]*\), Passed: *\([0-9]*\).*/\2 \3/p' "$log" \
  | awk '{ f += $1; p += $2 } END { print p + 0, f + 0 }')
echo "${passed} passed, ${failed} failed"
if [[ $status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then
  exit 1
fi
