#!/usr/bin/env bash
# Messages per second ingested into tasks (recorded and queued, not detected) from a broker: --count image_url
# messages (no worker runs) wait on the broker before the enqueue-only API starts reading them, and the rate is
# count / (time from the first message taken until the broker holds none).
#   redis:    the stream faceobject:ingest, added with redis-cli; timed from the group's first read until it has
#             nothing pending and nothing unread (XINFO GROUPS).
#   rabbitmq: the durable queue faceobject.ingest on a broker of the script's own, published persistent by the CLI
#             (faceobject detect --url ... --via amqp, one connection, publisher confirms); timed from the first
#             delivery turned into a queued job (the object queue's first entry) until every message has been
#             queued and the queue has 0 ready and 0 unacknowledged messages (rabbitmqctl list_queues).
# Usage: bench/ingest.sh [--broker redis|rabbitmq] [--count 2000]
#        (configuration=Debug bench/ingest.sh: use the Debug build as it is)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count=2000
broker=redis
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --broker) broker="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$broker" == redis || "$broker" == rabbitmq ]] || { echo "--broker is redis or rabbitmq" >&2; exit 2; }
out="$(mktemp -d /tmp/faceobject-ingest-XXXXXX)"
trap 'cleanup; rm -rf "$out"' EXIT

[[ "${configuration:-Release}" == Release ]] && dotnet build "$root/FaceObject.sln" -c Release -v quiet -nologo >/dev/null
start_redis "$out/redis.log"
export_model_settings

if [[ "$broker" == redis ]]; then
  for i in $(seq 1 "$count"); do
    printf 'XADD faceobject:ingest * message "{\\"task_id\\":\\"bench-%s\\",\\"model\\":\\"object\\",\\"image_url\\":\\"https://example.com/%s.jpg\\"}"\n' "$i" "$i"
  done | redis-cli -p "$redis_port" >/dev/null
  echo "ingest: $count messages on the stream; starting the API"
  # The watcher runs first: the API may take the first messages before it answers /livez.
  python3 - "$redis_port" "$count" >"$out/result.txt" <<'PY' &
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
  watcher=$!; started "$watcher"
  start_enqueue_api "$out/api.log" Ingest__Redis__Enabled=true Ingest__Redis__PollInterval=00:00:00.010 Logging__LogLevel__FaceObject=Warning
  wait "$watcher"
  cat "$out/result.txt"
  exit 0
fi

start_rabbitmq "$out/rabbitmq"
urls=()
for i in $(seq 1 "$count"); do urls+=(--url "https://example.com/$i.jpg"); done
dotnet "$(bin src/FaceObject.Cli)" detect object "${urls[@]}" --via amqp --broker "$rabbitmq_url" --json >"$out/published.jsonl"
ready="$(rabbitmqctl list_queues -q name messages_ready | awk '$1 == "faceobject.ingest" { print $2 }')"
[[ "$ready" == "$count" ]] || { echo "the queue holds ${ready:-no} messages, not $count" >&2; exit 1; }
echo "ingest: $count messages on the queue; starting the API"
env "${rabbitmq_env[@]}" python3 - "$redis_port" "$count" "$rabbitmq_sbin/rabbitmqctl" >"$out/result.txt" <<'PY' &
import subprocess, sys, time
port, count, ctl = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def queued():
    return int(subprocess.run(["redis-cli", "-p", port, "LLEN", "{hangfire}:queue:object"], capture_output=True, text=True).stdout.strip() or 0)
def queues():
    # {name: (ready, unacknowledged)}; rabbitmqctl takes about half a second, so the timing polls Redis instead.
    out = subprocess.run([ctl, "list_queues", "-q", "--no-table-headers", "name", "messages_ready", "messages_unacknowledged"], capture_output=True, text=True).stdout
    return {f[0]: (int(f[1]), int(f[2])) for f in (l.split() for l in out.splitlines()) if len(f) == 3}
deadline = time.monotonic() + 180
while queued() == 0:
    if time.monotonic() > deadline:
        sys.exit("the API queued nothing in 180 s")
    time.sleep(0.005)
start = time.monotonic()
polls = 0
while True:
    if queued() >= count:
        end = time.monotonic()
        break
    polls += 1
    if polls % 100 == 0 and queues().get("faceobject.ingest") == (0, 0):  # dead letters: the jobs never add up
        end = time.monotonic()
        break
    time.sleep(0.01)
while queues().get("faceobject.ingest") != (0, 0):  # acknowledged right after queued
    time.sleep(0.2)
seconds = end - start
state = queues()
print(f"ingest rabbitmq: {count} messages into tasks in {seconds:.2f} s = {count / seconds:.0f} messages/s "
      f"({queued()} jobs queued, {sum(state.get('faceobject.ingest.dead', (0, 0)))} dead letters; "
      f"faceobject.ingest ready/unacked {state['faceobject.ingest'][0]}/{state['faceobject.ingest'][1]})")
PY
watcher=$!; started "$watcher"
start_enqueue_api "$out/api.log" Ingest__RabbitMq__Enabled=true Ingest__RabbitMq__Url="$rabbitmq_url" Logging__LogLevel__FaceObject=Warning
wait "$watcher"
cat "$out/result.txt"
