#!/usr/bin/env bash
# Messages per second ingested into tasks (recorded and queued, not detected) from the Redis stream: --count messages
# (image_url, no worker runs) are added to faceobject:ingest before the enqueue-only API starts reading it; the rate is
# count / (time from the API's first read until the group has nothing pending and nothing unread).
# Usage: bench/ingest.sh [--count 2000]   (configuration=Debug bench/ingest.sh: use the Debug build as it is)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count=2000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
out="$(mktemp -d /tmp/faceobject-ingest-XXXXXX)"
trap 'cleanup; rm -rf "$out"' EXIT

[[ "${configuration:-Release}" == Release ]] && dotnet build "$root/FaceObject.sln" -c Release -v quiet -nologo >/dev/null
start_redis "$out/redis.log"
export_model_settings
for i in $(seq 1 "$count"); do
  printf 'XADD faceobject:ingest * message "{\\"task_id\\":\\"bench-%s\\",\\"model\\":\\"object\\",\\"image_url\\":\\"https://example.com/%s.jpg\\"}"\n' "$i" "$i"
done | redis-cli -p "$redis_port" >/dev/null
echo "ingest: $count messages on the stream; starting the API"
start_enqueue_api "$out/api.log" Ingest__Redis__Enabled=true Ingest__Redis__PollInterval=00:00:00.010 Logging__LogLevel__FaceObject=Warning
python3 - "$redis_port" "$count" <<'PY'
import subprocess, sys, time
port, count = sys.argv[1], int(sys.argv[2])
def groups():
    out = subprocess.run(["redis-cli", "-p", port, "XINFO", "GROUPS", "faceobject:ingest"], capture_output=True, text=True).stdout.split("\n")
    fields = dict(zip(out[0::2], out[1::2]))
    return int(fields.get("pending", 0)), int(fields.get("lag", count) or 0), fields.get("entries-read", "0")
while groups()[1] == count and groups()[2] in ("", "0"):
    time.sleep(0.005)
start = time.monotonic()
while True:
    pending, lag, _ = groups()
    if pending == 0 and lag == 0:
        break
    time.sleep(0.01)
seconds = time.monotonic() - start
dead = subprocess.run(["redis-cli", "-p", port, "XLEN", "faceobject:ingest:dead"], capture_output=True, text=True).stdout.strip()
queued = subprocess.run(["redis-cli", "-p", port, "LLEN", "{hangfire}:queue:object"], capture_output=True, text=True).stdout.strip()
print(f"ingest redis-stream: {count} messages into tasks in {seconds:.2f} s = {count / seconds:.0f} messages/s "
      f"({queued} jobs queued, {dead} dead letters)")
PY
