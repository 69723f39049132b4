#!/usr/bin/env bash
# Runs every test: installs what is missing (libgtk-3-0, redis-server, node/npm and the s3rver test server), fills models/, builds the solution
# (benchmarks included), runs all test projects, and ends with one line "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh" --with-redis
"$root/scripts/fetch-models.sh"
# The S3-compatible server the storage tests start (pinned by tests/s3rver/package-lock.json).
(cd "$root/tests/s3rver" && npm ci --no-audit --no-fund --loglevel=error)

log="$root/artifacts/test-output.log"
mkdir -p "$(dirname "$log")"

dotnet build FaceObject.sln -c Release -nologo -v quiet || exit 1
# Each test project ends with a line "Passed!  - Failed: F, Passed: P, ..."; the sum of those is the closing line.
set +e
dotnet test FaceObject.sln -c Release --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The deployment files (Dockerfiles, compose, Kubernetes, alerts) and the images' publish steps, as far as they
# can be checked without a Docker engine or a cluster. Ends with "check-deploy: N passed, N failed, N skipped".
"$root/scripts/check-deploy.sh" 2>&1 | tee -a "$log"
deploy_status=${PIPESTATUS[0]}
set -e

dotnet_counts="$(sed -n 's/.*\(Passed\|Failed\)! *- Failed: *\([0-9]*\), Passed: *\([0-9]*\).*/\2 \3/p' "$log")"
deploy_counts="$(sed -n 's/^check-deploy: \([0-9]*\) passed, \([0-9]*\) failed.*/\2 \1/p' "$log")"
read -r passed failed < <(printf '%s\n%s\n' "$dotnet_counts" "$deploy_counts" | awk 'NF == 2 { f += $1; p += $2 } END { print p + 0, f + 0 }')
echo "${passed} passed, ${failed} failed"
if [[ $status -ne 0 || $deploy_status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then
  exit 1
fi
