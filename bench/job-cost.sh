#!/usr/bin/env bash
# What one task costs the job path, beside the model: Redis commands (INFO commandstats deltas), Redis read events,
# context switches and CPU milliseconds per process (API, worker, redis-server), and tasks/s.
# Runs redis-server, the enqueue-only API and ONE worker, for the measured queue only (no other queue's worker is
# started, so no other process is woken by Hangfire's shared notification channel).
#
#   --mode drain: the worker starts and warms up, then is frozen (SIGSTOP); N tasks are submitted (submit phase: only
#     the API writes to Redis); the API is frozen and the worker resumed (SIGCONT) until the queue is drained (worker
#     phase: only the worker writes to Redis). The split of commands between the phases is therefore exact. The
#     worker's start-up and model warm-up are not counted; its JIT tiering of the job path is. tasks/s is read from the
#     task records (first started_at to last completed_at, as bench/drain.sh does).
#   --mode load: FaceObject.LoadGen, --clients closed-loop clients polling every 20 ms (or --long-poll), measured for
#     --seconds after --warmup seconds of the same load; per-task figures include the polls.
#
# --model overhead: an overhead-only detector, the 64x64 ultralytics-format graph of the format tests (a constant
# output plus 0 * ReduceSum(input); tests/FaceObject.Inference.Tests/FormatModels/make_format_models.py), generated
# into the run's results folder and configured as the ordinary model key `overhead`, fed a generated 64x64 PNG:
# inference and decoding cost ~0 and the job path is what is measured. (Until issue 14's first changes the overhead
# runs used the test photos, whose decoding cost the worker ~5 ms a task; compare like with like.)
#
# Redis read events (INFO stats total_reads_processed) in the worker phase estimate the worker's round trips: each is
# one batch of bytes the worker sent; a synchronous call is one, calls of several threads written together share one,
# and fire-and-forget writes count too.
# The probe's own INFO and GET commands are subtracted from every figure.
# Results: bench/results/job-cost-<UTC time>-<model>-<mode>/ (summary.txt, summary.json, snapshots, logs).
# Usage: bench/job-cost.sh [--model overhead|object|face|face320] [--mode drain|load] [--tasks 1000]
#                          [--clients 16] [--long-poll] [--seconds 20] [--warmup 20] [--threads 0] [--warm-tasks 2000]
#                          [--no-build]
# --warm-tasks: tasks run through API and worker before anything is measured (JIT tiering), default 2000.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
model=overhead
mode=drain
tasks=1000
clients=16
long_poll=""
seconds=20
warmup=20
threads=0
warm_tasks=2000
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --tasks) tasks="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --long-poll) long_poll="--long-poll"; shift ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --warm-tasks) warm_tasks="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$mode" == drain || "$mode" == load ]] || { echo "--mode drain|load" >&2; exit 2; }

out="$root/bench/results/job-cost-$(date -u +%Y%m%dT%H%M%SZ)-$model-$mode"
mkdir -p "$out"
# A frozen process ignores SIGTERM until resumed: resume everything before lib.sh's cleanup stops it.
trap 'kill -CONT "${pids[@]}" 2>/dev/null || true; cleanup' EXIT

if [[ "$build" == 1 ]]; then
  echo "job-cost: building the API, the worker and the load generator (Release)"
  for project in src/FaceObject.Api src/FaceObject.Worker bench/FaceObject.LoadGen; do
    dotnet build "$root/$project/$(basename "$project").csproj" -c Release -v quiet -nologo >/dev/null
  done
fi

export_model_settings
if [[ "$model" == overhead ]]; then
  # Debian's python3-onnx lives in the system interpreter (see tests/FaceObject.Testing/FormatModels.cs).
  /usr/bin/python3 "$root/tests/FaceObject.Inference.Tests/FormatModels/make_format_models.py" "$out/models" >/dev/null
  export Models__overhead__Type=ultralytics Models__overhead__Path="$out/models/ultralytics.onnx"
  # A 64x64 PNG: decoding a real photo costs milliseconds, which is the pipeline's cost, not the job path's.
  images="$out/images"
  mkdir -p "$images"
  python3 - "$images/tiny.png" <<'PY'
import struct, sys, zlib
w = h = 64
raw = b"".join(b"\x00" + bytes(v for x in range(w) for v in ((x * 4) % 256, (y * 4) % 256, 128)) for y in range(h))
chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
else
  images="$shared/testdata/images"
fi

# probe snapshot FILE NAME=PID...: Redis INFO (commandstats, stats) and, per process, CPU ms and context switches
# (summed over its live threads: /proc/PID/status alone is the main thread's).
# probe succeeded: the count of the model queue's completed tasks (tasks, not Hangfire jobs: with
# Hangfire__MaxTasksPerJob above 1 one job carries several). probe wait-succeeded N TIMEOUT_S: until it reaches N.
# probe report OUT MODE TASKS: the per-task table from the snapshots in OUT.
# The probe talks RESP over its own socket and counts what it sends, so its commands can be subtracted.
probe_py="$(cat <<'PY'
import glob, json, os, socket, statistics, sys, time

port = int(os.environ["REDIS_PORT"])
own = {"info": 0, "get": 0}

def command(sock, *parts):
    sock.sendall(("*%d\r\n" % len(parts) + "".join("$%d\r\n%s\r\n" % (len(p), p) for p in parts)).encode())
    own[parts[0].lower()] = own.get(parts[0].lower(), 0) + 1
    f = sock.makefile("rb")
    line = f.readline()
    if line[:1] == b"$":
        n = int(line[1:])
        return None if n < 0 else f.read(n + 2)[:-2].decode()
    if line[:1] == b"-":
        raise RuntimeError(line.decode())
    return line[1:].strip().decode()

def own_counts():
    path = os.path.join(os.environ["OUT"], "probe-commands.json")
    return json.load(open(path)) if os.path.exists(path) else {}

def save_own(extra):
    counts = own_counts()
    for k, v in extra.items():
        counts[k] = counts.get(k, 0) + v
    json.dump(counts, open(os.path.join(os.environ["OUT"], "probe-commands.json"), "w"))

def proc(pid):
    hz = os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu_ms = (int(fields[11]) + int(fields[12])) * 1000 / hz
    voluntary = involuntary = 0
    for status in glob.glob(f"/proc/{pid}/task/*/status"):
        try:
            for line in open(status):
                if line.startswith("voluntary_ctxt_switches"):
                    voluntary += int(line.split()[1])
                elif line.startswith("nonvoluntary_ctxt_switches"):
                    involuntary += int(line.split()[1])
        except FileNotFoundError:
            pass
    return {"cpu_ms": cpu_ms, "ctx_voluntary": voluntary, "ctx_involuntary": involuntary}

def snapshot(path, named):
    # The INFO that reads the counters is not in them yet: the probe's commands before it are.
    before = own_counts()
    sock = socket.create_connection(("127.0.0.1", port))
    info = command(sock, "INFO", "all")
    sock.close()
    commands, stats = {}, {}
    for line in info.splitlines():
        if line.startswith("cmdstat_"):
            name, rest = line[len("cmdstat_"):].split(":", 1)
            commands[name] = int(dict(kv.split("=") for kv in rest.split(","))["calls"])
        elif ":" in line and not line.startswith("#"):
            k, v = line.split(":", 1)
            stats[k] = v
    snap = {"time": time.time(), "commands": commands, "own": before,
            "reads": int(stats["total_reads_processed"]), "writes": int(stats["total_writes_processed"]),
            "net_in": int(stats["total_net_input_bytes"]), "net_out": int(stats["total_net_output_bytes"]),
            "processes": {name: proc(pid) for name, pid in (a.split("=") for a in named)}}
    save_own(own)
    json.dump(snap, open(path, "w"), indent=1)

def succeeded(sock):
    return int(command(sock, "HGET", "faceobject:stats:ended", os.environ["QUEUE"] + ":completed") or 0)

def wait_succeeded(target, timeout):
    sock = socket.create_connection(("127.0.0.1", port))
    deadline = time.time() + timeout
    while (done := succeeded(sock)) < target and time.time() < deadline:
        time.sleep(0.01)
    sock.close()
    save_own(own)
    print(done)

def delta(a, b, key):
    return {k: b[key].get(k, 0) - a[key].get(k, 0) for k in set(a[key]) | set(b[key])}

def phase(a, b, tasks):
    commands = delta(a, b, "commands")
    own_delta = delta(a, b, "own")
    for k, v in own_delta.items():
        if k in commands:
            commands[k] -= v
    commands = {k: v for k, v in commands.items() if v > 0}
    reads = b["reads"] - a["reads"] - sum(own_delta.values())
    procs = {}
    for name in b["processes"]:
        if name in a["processes"]:
            pa, pb = a["processes"][name], b["processes"][name]
            procs[name] = {"cpu_ms": (pb["cpu_ms"] - pa["cpu_ms"]) / tasks,
                           "ctx": (pb["ctx_voluntary"] + pb["ctx_involuntary"] - pa["ctx_voluntary"] - pa["ctx_involuntary"]) / tasks,
                           "ctx_involuntary": (pb["ctx_involuntary"] - pa["ctx_involuntary"]) / tasks}
    return {"commands_per_task": sum(commands.values()) / tasks,
            "commands": {k: v / tasks for k, v in sorted(commands.items(), key=lambda kv: -kv[1])},
            "redis_reads_per_task": reads / tasks,
            "net_in_bytes_per_task": (b["net_in"] - a["net_in"]) / tasks,
            "seconds": b["time"] - a["time"], "processes": procs}

def top(commands, n=5):
    return ", ".join(f"{k} {v:.1f}" for k, v in list(commands.items())[:n])

def report(out, mode, tasks, model):
    snap = lambda name: json.load(open(os.path.join(out, name)))
    result = json.load(open(os.path.join(out, "result.json")))
    tasks = result["tasks"]
    lines = []
    if mode == "drain":
        s0, s1, s2, s3 = snap("s0.json"), snap("s1.json"), snap("s2.json"), snap("s3.json")
        phases = {"submit": phase(s0, s1, tasks), "worker": phase(s2, s3, tasks)}
        total = {k: phases["submit"]["commands"].get(k, 0) + phases["worker"]["commands"].get(k, 0)
                 for k in set(phases["submit"]["commands"]) | set(phases["worker"]["commands"])}
        phases["total"] = {"commands_per_task": sum(total.values()),
                           "commands": dict(sorted(total.items(), key=lambda kv: -kv[1]))}
    else:
        phases = {"load": phase(snap("s0.json"), snap("s1.json"), tasks)}
        phases["total"] = phases["load"]
    result["phases"] = phases
    json.dump(result, open(os.path.join(out, "summary.json"), "w"), indent=1)
    lines.append(f"job-cost {model} {mode}: {tasks} tasks, {result['tasks_per_s']:.1f} tasks/s ({result['rate_note']})"
                 + (f"; {result['not_completed']} not completed" if result.get("not_completed") else ""))
    if mode == "drain":
        lines.append(f"  Redis commands per task: submit {phases['submit']['commands_per_task']:.1f} / worker "
                     f"{phases['worker']['commands_per_task']:.1f} / total {phases['total']['commands_per_task']:.1f}")
        for name in ("submit", "worker", "total"):
            lines.append(f"  top 5, {name}: {top(phases[name]['commands'])}")
        lines.append(f"  Redis read events per task in the worker phase (~round trips): {phases['worker']['redis_reads_per_task']:.1f}"
                     f" (submit phase: {phases['submit']['redis_reads_per_task']:.1f})")
        for name in ("submit", "worker"):
            p = phases[name]["processes"]
            lines.append(f"  {name} phase ({phases[name]['seconds']:.1f} s), per task: " + "; ".join(
                f"{proc} {v['cpu_ms']:.2f} CPU ms, {v['ctx']:.1f} ctx switches ({v['ctx_involuntary']:.1f} involuntary)"
                for proc, v in p.items()))
    else:
        p = phases["load"]
        lines.append(f"  Redis commands per task (polls included): {p['commands_per_task']:.1f}; top 5: {top(p['commands'])}")
        lines.append(f"  Redis read events per task (API and worker): {p['redis_reads_per_task']:.1f}")
        lines.append(f"  per task ({p['seconds']:.1f} s): " + "; ".join(
            f"{proc} {v['cpu_ms']:.2f} CPU ms, {v['ctx']:.1f} ctx switches ({v['ctx_involuntary']:.1f} involuntary)"
            for proc, v in p["processes"].items()))
    print("\n".join(lines))

cmd = sys.argv[1]
if cmd == "snapshot":
    snapshot(sys.argv[2], sys.argv[3:])
elif cmd == "succeeded":
    sock = socket.create_connection(("127.0.0.1", port))
    print(succeeded(sock))
    sock.close()
    save_own(own)
elif cmd == "wait-succeeded":
    wait_succeeded(int(sys.argv[2]), float(sys.argv[3]))
elif cmd == "report":
    report(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
PY
)"
probe() { OUT="$out" REDIS_PORT="$redis_port" QUEUE="$model" python3 -c "$probe_py" "$@"; }

start_redis "$out/redis.log"
: >"$out/worker.log"  # wait_warmed_up greps it at once
start_worker "$model" "$out/worker.log" Worker__WorkerCount="$threads" \
  Logging__LogLevel__FaceObject.Processing.Models.ModelLoader=Information
wait_warmed_up "$out/worker.log"
grep -q "warmed up" "$out/worker.log" || { echo "the worker did not warm up; see $out/worker.log" >&2; exit 1; }
start_enqueue_api "$out/api.log"
processes=("api=$api_pid" "worker=$worker_pid" "redis=$redis_pid")
if [[ "$warm_tasks" -gt 0 ]]; then
  # A long-running worker has long since compiled its job path to optimised code; a fresh one spends its first
  # thousand tasks in the JIT. These tasks run first, unmeasured, so the figures are the steady state's.
  prefill "$model" "$warm_tasks" "$out/warm-ids.txt" "$images"
  probe wait-succeeded "$warm_tasks" 600 >/dev/null
  echo "job-cost: $warm_tasks warm-up tasks done"
fi

if [[ "$mode" == drain ]]; then
  kill -STOP "$worker_pid"
  sleep 0.5
  probe snapshot "$out/s0.json" "${processes[@]}"
  prefill "$model" "$tasks" "$out/ids.txt" "$images"
  probe snapshot "$out/s1.json" "${processes[@]}"
  echo "job-cost: $tasks $model tasks queued; API frozen, worker resumed"
  kill -STOP "$api_pid"
  sleep 0.5
  target=$(($(probe succeeded) + tasks))
  probe snapshot "$out/s2.json" "${processes[@]}"
  kill -CONT "$worker_pid"
  done_count="$(probe wait-succeeded "$target" 600)"
  probe snapshot "$out/s3.json" "${processes[@]}"
  kill -CONT "$api_pid"
  [[ "$done_count" -ge "$target" ]] || echo "job-cost: only $((tasks - target + done_count)) of $tasks tasks completed within 600 s" >&2
  python3 - "$api" "$out/ids.txt" "$out/result.json" "$(jq -r .time "$out/s2.json")" "$(jq -r .time "$out/s3.json")" <<'PY'
import http.client, json, sys, urllib.parse
from datetime import datetime
base, ids, result, resumed, drained = sys.argv[1], [l.strip() for l in open(sys.argv[2])], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
url = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(url.hostname, url.port)
def get(task_id):
    c.request("GET", f"/api/task/{task_id}"); return json.loads(c.getresponse().read())
tasks = [get(t) for t in ids]
done = [t for t in tasks if t["status"] == "completed"]
started = min(datetime.fromisoformat(t["started_at"]) for t in done)
ended = max(datetime.fromisoformat(t["completed_at"]) for t in done)
seconds = (ended - started).total_seconds()
json.dump({"tasks": len(tasks), "not_completed": len(tasks) - len(done), "tasks_per_s": len(done) / seconds,
           "rate_note": f"first started to last completed {seconds:.2f} s; resume to drained {len(done) / (drained - resumed):.1f}/s"},
          open(result, "w"), indent=1)
PY
else
  loadgen() {
    dotnet "$(bin bench/FaceObject.LoadGen)" --server "$api" --images "$images" --model "$model" \
      --concurrency "$clients" ${long_poll:+"$long_poll"} --poll-ms 20 "$@"
  }
  loadgen --seconds "$warmup" >/dev/null
  probe snapshot "$out/s0.json" "${processes[@]}"
  loadgen --seconds "$seconds" --out "$out/load.json" >/dev/null
  probe snapshot "$out/s1.json" "${processes[@]}"
  jq '{tasks: .completed, not_completed: (.submitted - .completed), tasks_per_s: .throughput_per_s,
       rate_note: "\(.concurrency) clients, \(.poll), completed / LoadGen seconds; submit p99 \(.submit_ms.p99) ms; LoadGen CPU \(.loadgen_cpu_seconds) s"}' \
    "$out/load.json" >"$out/result.json"
fi

probe report "$out" "$mode" "$tasks" "$model" | tee "$out/summary.txt"
echo "job-cost: results in $out"
