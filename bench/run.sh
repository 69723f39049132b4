#!/usr/bin/env bash
# Measures the limit and how close the whole system comes to it, on this machine, in one go:
#   1. the raw benchmark: each model's full detection step in a tight loop (1 and N threads), and Run alone;
#   2. Redis + the API (enqueue only) + one worker process per model queue, and the load generator against them:
#      a warm-up (--warmup seconds of the same load, unmeasured: .NET's tiered JIT is still recompiling hot code for
#      the first minute and costs up to a quarter of the API's CPU meanwhile), then 16 closed-loop clients polling
#      every 20 ms (the seed comparison), then an idle single client polling every 5 ms;
#   3. the ratio end-to-end throughput / raw full-detection throughput (N threads) per model, with the core count.
# Results go to bench/results/<timestamp>/. Everything runs on 127.0.0.1 and is stopped at the end.
# Usage: bench/run.sh [--seconds 20] [--warmup 40] [--concurrency 16] [--models object,face,face320] [--raw results/<run>/raw.json]
#                     [--long-poll]
#   --long-poll: the loaded clients long-poll (?wait=) instead of polling every 20 ms.
#   --raw reuses an earlier run's raw figures instead of measuring them again (for quick end-to-end iterations).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
seconds=20
warmup=40
concurrency=16
poll=(--poll-ms 20)
models="object,face,face320"
raw=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --long-poll) poll=(--long-poll); shift ;;
    --models) models="$2"; shift 2 ;;
    --raw) raw="$(realpath "$2")"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

cores="$(nproc)"
out="$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

echo "bench: building (Release)"
dotnet build "$root/FaceObject.sln" -c Release -v quiet -nologo >/dev/null

if [[ -n "$raw" ]]; then
  echo "bench: raw figures from $raw"
  cp "$raw" "$out/raw.json"
else
  echo "bench: raw detection benchmark (cores=$cores)"
  dotnet "$(bin bench/FaceObject.Bench.Inference)" --models "$shared/models" --images "$shared/testdata/images" \
    --seconds 5 --threads "1,$cores" --out "$out/raw.json" | tee "$out/raw.txt"
fi

start_redis "$out/redis.log"
export_model_settings
declare -A worker_of
for model in ${models//,/ }; do
  start_worker "$model" "$out/worker-$model.log"
  worker_of[$model]=$worker_pid
done
start_enqueue_api "$out/api.log"
for model in ${models//,/ }; do wait_warmed_up "$out/worker-$model.log"; done

rss() { ps -o rss= -p "$1" | awk '{ printf "%.0f", $1 / 1024 }'; }
# CPU seconds a process has used so far (user + system).
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
loadgen() { dotnet "$(bin bench/FaceObject.LoadGen)" --server "http://127.0.0.1:$api_port" --images "$shared/testdata/images" "$@"; }

printf '\n%-8s %10s %10s %7s %12s %12s %12s %9s  %s\n' model e2e_per_s raw_per_s ratio submit_p99 e2e_p50 idle_e2e_p50 rss_mb \
  "cpu_s under load: worker/api/redis/loadgen" | tee "$out/summary.txt"
for model in ${models//,/ }; do
  raw_key="$model"; [[ "$model" == "face" ]] && raw_key="face640"
  loadgen --model "$model" --concurrency "$concurrency" --seconds "$warmup" "${poll[@]}" >/dev/null
  cpu_before=("$(cpu "${worker_of[$model]}")" "$(cpu "$api_pid")" "$(cpu "$redis_pid")")
  loadgen --model "$model" --concurrency "$concurrency" --seconds "$seconds" "${poll[@]}" --out "$out/load-$model.json" >/dev/null
  cpu_after=("$(cpu "${worker_of[$model]}")" "$(cpu "$api_pid")" "$(cpu "$redis_pid")")
  cpu_used="$(python3 -c 'import sys; b, a = sys.argv[1:4], sys.argv[4:7]; print("/".join(f"{float(y) - float(x):.1f}" for x, y in zip(b, a)))' \
    "${cpu_before[@]}" "${cpu_after[@]}")"
  loadgen --model "$model" --concurrency 1 --count 40 --poll-ms 5 --out "$out/idle-$model.json" >/dev/null
  python3 - "$out" "$model" "$raw_key" "$cores" "$(rss "${worker_of[$model]}")" "$cpu_used" <<'PY' | tee -a "$out/summary.txt"
import json, sys
out, model, raw_key, cores, rss, cpu_used = sys.argv[1:]
raw = json.load(open(f"{out}/raw.json"))
full = next(r for r in raw if r["model"] == raw_key and r["case"] == "full_detection" and r["threads"] == int(cores))
load = json.load(open(f"{out}/load-{model}.json"))
idle = json.load(open(f"{out}/idle-{model}.json"))
ratio = load["throughput_per_s"] / full["per_second"]
print(f'{model:<8} {load["throughput_per_s"]:>10.1f} {full["per_second"]:>10.1f} {ratio:>7.2f} {load["submit_ms"]["p99"]:>10.1f}ms '
      f'{load["end_to_end_ms"]["p50"]:>10.1f}ms {idle["end_to_end_ms"]["p50"]:>10.1f}ms {rss:>9}  '
      f'{cpu_used}/{load["loadgen_cpu_seconds"]:.1f} of {load["seconds"] * int(cores):.0f}')
PY
done
echo "cores=$cores; results in $out" | tee -a "$out/summary.txt"
