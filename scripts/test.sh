#!/usr/bin/env bash
# Runs every test: installs what is missing (libgtk-3-0, redis-server, chromium, node, the s3rver test server),
# fills models/, builds the solution (benchmarks included), runs all .NET test projects, the flavour-dependent inference
# tests again with the GPU ONNX Runtime package, the browser tests of the try-it page against the same
# Release build, and the deployment checks, and ends with one line "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh" --with-redis
"$root/scripts/fetch-models.sh"
# The S3-compatible server the storage tests start (pinned by tests/s3rver/package-lock.json).
(cd "$root/tests/s3rver" && npm ci --no-audit --no-fund --loglevel=error)

log="$root/artifacts/test-output.log"
web_log="$root/artifacts/web-test-output.log"
mkdir -p "$(dirname "$log")"

# Locked restore: every project's packages.lock.json must match its dependency graph (scripts/update-lock-files.sh).
dotnet restore FaceObject.sln --locked-mode -nologo -v quiet || exit 1
dotnet build FaceObject.sln -c Release --no-restore -nologo -v quiet || exit 1
# Each test project ends with a line "Passed!  - Failed: F, Passed: P, ..."; the sum of those is the closing line.
set +e
dotnet test FaceObject.sln -c Release --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The Gpu flavour (-p:OnnxRuntimeFlavor=Gpu, the CUDA image's ONNX Runtime package): only the tests whose outcome
# depends on the package (Trait Flavour=both), built apart in artifacts/gpu-flavour so the Cpu build's obj/ and the
# committed lock files stay as they are. On a machine without CUDA they prove the CUDA provider is really tried and
# falls back (auto) or stops the load (cuda) with the reason.
gpu_args=(-c Release -p:OnnxRuntimeFlavor=Gpu --artifacts-path "$root/artifacts/gpu-flavour" -nologo)
{ dotnet build tests/FaceObject.Inference.Tests "${gpu_args[@]}" -v quiet \
    && dotnet test tests/FaceObject.Inference.Tests "${gpu_args[@]}" --no-build --filter "Flavour=both"; } 2>&1 | tee -a "$log"
[[ ${PIPESTATUS[0]} -ne 0 ]] && status=1
# Browser tests (tests/FaceObject.Web.Tests), on the Release build above: node's test runner prints "# pass N" and
# "# fail N" in TAP.
(cd "$root/tests/FaceObject.Web.Tests" && npm ci --no-audit --no-fund --loglevel=error && node --test --test-reporter=tap) 2>&1 | tee "$web_log"
web_status=${PIPESTATUS[0]}
# The deployment files (Dockerfiles, compose, Kubernetes, alerts) and the images' publish steps, as far as they
# can be checked without a Docker engine or a cluster. Ends with "check-deploy: N passed, N failed, N skipped".
"$root/scripts/check-deploy.sh" 2>&1 | tee -a "$log"
deploy_status=${PIPESTATUS[0]}
set -e

dotnet_counts="$(sed -n 's/.*\(Passed\|Failed\)! *- Failed: *\([0-9]*\), Passed: *\([0-9]*\).*/\2 \3/p' "$log")"
deploy_counts="$(sed -n 's/^check-deploy: \([0-9]*\) passed, \([0-9]*\) failed.*/\2 \1/p' "$log")"
web_counts="$(awk '/^# pass [0-9]+$/ { p = $3 } /^# fail [0-9]+$/ { f = $3 } END { print f + 0, p + 0 }' "$web_log")"
# A browser run that broke before reporting (npm ci, a missing browser) still counts as a failure.
if [[ $web_status -ne 0 && "$web_counts" == "0 "* ]]; then
  web_counts="1 ${web_counts#* }"
fi
read -r passed failed < <(printf '%s\n%s\n%s\n' "$dotnet_counts" "$deploy_counts" "$web_counts" | awk 'NF == 2 { f += $1; p += $2 } END { print p + 0, f + 0 }')
echo "${passed} passed, ${failed} failed"
if [[ $status -ne 0 || $web_status -ne 0 || $deploy_status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then
  exit 1
fi
