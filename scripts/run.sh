#!/usr/bin/env bash
# Starts FaceObject all-in-one (in-memory storage, workers in the same process) on http://localhost:8080.
# Set ConnectionStrings__Redis=host:port to use Redis instead; see README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/fetch-models.sh"
cd "$root"
exec dotnet run --project src/FaceObject.AllInOne -c Release -- "$@"
