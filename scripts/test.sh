#!/usr/bin/env bash
# Runs every test: installs what is missing (libgtk-3-0, redis-server), fills models/, builds the solution
# (benchmarks included), runs all test projects, and ends with one line "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh" --with-redis
"$root/scripts/fetch-models.sh"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
dotnet build FaceObject.sln -c Release -nologo -v quiet || exit 1
dotnet test FaceObject.sln -c Release --no-build --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
echo "${passed} passed, ${failed} failed"
if [[ $status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then
  exit 1
fi
