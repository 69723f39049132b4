#!/usr/bin/env bash
# Starts one FaceObject worker for the queues given as the first argument (or `--streams` for a worker that reads
# live streams and serves no queue), against ConnectionStrings__Redis (default localhost:6379). Extra arguments
# pass through to the worker. Safe to start many times at once:
# the build runs once under a lock, then every copy runs the same built DLL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
queues="${1:?usage: worker.sh QUEUES|--streams [worker arguments...]}"
shift
export ConnectionStrings__Redis="${ConnectionStrings__Redis:-localhost:6379}"
config="${FACEOBJECT_CONFIGURATION:-Release}"
dll="$root/src/FaceObject.Worker/bin/$config/net10.0/FaceObject.Worker.dll"

"$root/scripts/fetch-models.sh" >/dev/null
(
  flock 9
  if [[ ! -f "$dll" || -n "$(find "$root/src" -name '*.cs' -newer "$dll" -print -quit)" ]]; then
    dotnet build "$root/src/FaceObject.Worker" -c "$config" -v quiet -nologo >&2
  fi
) 9>"$root/.worker-build.lock"

cd "$root"
if [[ "$queues" == "--streams" ]]; then
  exec dotnet "$dll" --streams "$@"
fi
exec dotnet "$dll" --queues "$queues" "$@"
