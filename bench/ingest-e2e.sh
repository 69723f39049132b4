#!/usr/bin/env bash
# End to end, by way in: the object model's throughput when the same load arrives over HTTP, on the Redis stream or
# on the RabbitMQ queue. One enqueue-only API reads both brokers (a RabbitMQ broker of the script's own) and one object
# worker runs; once the worker has warmed up, each way in gets --count copies of ../shared/testdata/images/dog.jpg from
# the CLI, one after the other (faceobject detect object dog.jpg ... [--via redis-stream|amqp]): a multipart upload
# each over HTTP, inline base64 (`image`) in each message. tasks/s = count / (the first submit until the last task
# completed): the first submit is the earlier of the first task's created_at and the CLI's first answer (over HTTP
# the 202, on a broker the publish confirm, which may come before the API has read the message), the end is the last
# completed_at, so the CLI's own start-up is not counted. Each way in starts after the previous one's tasks have all
# ended, and a few tasks through each way in first warm its path. "all submitted after" is when the CLI's last
# answer came: well before the end means the worker, not the way in, set the pace. CPU ms per task: what the API
# and the worker processes used from the submit until the last task ended, divided by the tasks.
# Usage: bench/ingest-e2e.sh [--count 100] [--ways http,redis,rabbitmq] [--rounds 1]
#        (configuration=Debug bench/ingest-e2e.sh: use the Debug build as it is)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count=100
ways=http,redis,rabbitmq
rounds=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --ways) ways="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
out="$(mktemp -d /tmp/faceobject-ingest-e2e-XXXXXX)"
trap 'cleanup; rm -rf "$out"' EXIT

[[ "${configuration:-Release}" == Release ]] && dotnet build "$root/FaceObject.sln" -c Release -v quiet -nologo >/dev/null
image="$shared/testdata/images/dog.jpg"
start_redis "$out/redis.log"
export_model_settings
ingest=(Ingest__Redis__Enabled=true)
if [[ ",$ways," == *,rabbitmq,* ]]; then
  start_rabbitmq "$out/rabbitmq"
  ingest+=(Ingest__RabbitMq__Enabled=true Ingest__RabbitMq__Url="$rabbitmq_url")
fi
start_enqueue_api "$out/api.log" "${ingest[@]}" Logging__LogLevel__FaceObject=Warning
start_worker object "$out/worker.log"
wait_warmed_up "$out/worker.log"

# submit WAY N IDS_FILE: N copies of the image through WAY; the task ids go to IDS_FILE.
submit() {
  local via=() images=()
  case "$1" in
    http) ;;
    redis) via=(--via redis-stream --broker "redis://127.0.0.1:$redis_port") ;;
    rabbitmq) via=(--via amqp --broker "$rabbitmq_url") ;;
    *) echo "unknown way in $1" >&2; exit 2 ;;
  esac
  for _ in $(seq 1 "$2"); do images+=("$image"); done
  dotnet "$(bin src/FaceObject.Cli)" detect object "${images[@]}" "${via[@]}" --server "$api" --json \
    | python3 -c '
import json, sys, time
times = []
with open(sys.argv[1], "w") as ids:
    for line in sys.stdin:
        if line.strip():
            times.append(time.time()); ids.write(json.loads(line)["task_id"] + "\n")
with open(sys.argv[1] + ".times", "w") as f:
    f.write(f"{times[0]} {times[-1]}\n")' "$3"
}

# measure WAY IDS_FILE: waits until every task has ended (a broker's message may not be a task yet), then prints the rate.
measure() {
  python3 - "$api" "$1" "$2" <<'PY'
import http.client, json, sys, time, urllib.parse
from datetime import datetime
base, way, ids = sys.argv[1], sys.argv[2], [l.strip() for l in open(sys.argv[3])]
url = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(url.hostname, url.port)
def get(task_id):
    c.request("GET", f"/api/task/{task_id}"); r = c.getresponse(); body = r.read()
    return json.loads(body) if r.status == 200 else None
deadline = time.monotonic() + 600
tasks = {}
for task_id in ids:
    while True:
        task = get(task_id)
        if task is not None and task["status"] in ("completed", "failed", "cancelled"):
            tasks[task_id] = task
            break
        if time.monotonic() > deadline:
            sys.exit(f"{way}: task {task_id} has not ended in 600 s")
        time.sleep(0.05)
tasks = list(tasks.values())
bad = [t for t in tasks if t["status"] != "completed"]
# The first submit: the first task recorded, or the CLI's first answer (a broker's publish confirm) if that came sooner.
answered, submitted = (float(x) for x in open(sys.argv[3] + ".times").read().split())
first = min(min(datetime.fromisoformat(t["created_at"]).timestamp() for t in tasks), answered)
last = max(datetime.fromisoformat(t["completed_at"]).timestamp() for t in tasks)
seconds = last - first
processing = sorted(t["processing_time_ms"] for t in tasks if t.get("processing_time_ms") is not None)
print(f"e2e object via {way}: {len(tasks)} tasks ({len(bad)} not completed) in {seconds:.2f} s = "
      f"{len(tasks) / seconds:.1f} tasks/s (all submitted after {submitted - first:.2f} s); "
      f"processing_time_ms p50 {processing[len(processing) // 2]:.1f}")
PY
}

# cpu_ms PID: the process's CPU time so far (user + system), in ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }

IFS=, read -ra way_list <<<"$ways"
for way in "${way_list[@]}"; do  # warm-up: each path's first requests and messages
  submit "$way" 5 "$out/warm-$way.txt"
  measure "$way" "$out/warm-$way.txt" >/dev/null
done
echo "e2e: API and object worker ready; $count images per way in, $rounds round(s)"
for round in $(seq 1 "$rounds"); do
  for way in "${way_list[@]}"; do
    api_cpu="$(cpu_ms "$api_pid")"; worker_cpu="$(cpu_ms "$worker_pid")"
    submit "$way" "$count" "$out/ids-$way-$round.txt"
    result="$(measure "$way" "$out/ids-$way-$round.txt")"
    echo "$result; CPU ms per task: API $(( ($(cpu_ms "$api_pid") - api_cpu) / count )), worker $(( ($(cpu_ms "$worker_pid") - worker_cpu) / count ))"
  done
done
