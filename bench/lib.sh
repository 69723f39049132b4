# Shared by the bench/*.sh scripts (sourced, not run): ports, the processes a benchmark starts and stops, and the
# settings that point the API and workers at the shared models. Everything listens on 127.0.0.1 only.
# shellcheck shell=bash

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${FACEOBJECT_SHARED:-$root/../shared}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# The build of a project given by its folder, e.g. src/FaceObject.Api: Release unless the script sets configuration.
bin() { echo "$root/$1/bin/${configuration:-Release}/net10.0/$(basename "$1").dll"; }

# The all-in-one host as last built, Release or else Debug; exits when neither is there.
built_all_in_one_dll() {
  local c
  for c in Release Debug; do
    [[ -f "$root/src/FaceObject.AllInOne/bin/$c/net10.0/FaceObject.AllInOne.dll" ]] && { echo "$root/src/FaceObject.AllInOne/bin/$c/net10.0/FaceObject.AllInOne.dll"; return; }
  done
  echo "build src/FaceObject.AllInOne first" >&2
  exit 1
}

# Every process a script starts goes in pids (via started), and all of them are stopped when the script exits.
pids=()
started() { pids+=("$1"); }
# Process groups (started under setsid) that cleanup stops as a whole: started_group PID, PID leading its group.
groups=()
started_group() { groups+=("$1"); }
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for group in "${groups[@]}"; do kill -- "-$group" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# start_redis LOG: a throw-away redis-server without persistence; sets redis_port and redis_pid and exports the
# connection string for the API and workers started afterwards.
start_redis() {
  redis_port="$(free_port)"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$1" 2>&1 &
  redis_pid=$!; started "$redis_pid"
  sleep 0.5
  export ConnectionStrings__Redis="127.0.0.1:$redis_port"
}

# The benchmarked models from ../shared/models: object = yolox_nano, face = RFB-640, face320 = RFB-320.
face_model="$shared/models/version-RFB-640.onnx"
object_model="$shared/models/yolox_nano.onnx"
object_labels="$shared/models/coco.names"
face320_model="$shared/models/version-RFB-320.onnx"

# All three models, production settings and warnings-only logs, for the API and workers started afterwards.
export_model_settings() {
  export Models__face__Path="$face_model" Models__object__Path="$object_model" Models__object__Labels="$object_labels" \
    Models__face320__Type=ultraface Models__face320__Path="$face320_model" \
    Logging__LogLevel__Default=Warning DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
}

# start_all_in_one_api DLL [NAME=VALUE...]: the all-in-one host (the API with workers for face and object), no Redis; sets
# api_port, api_pid (the dotnet process itself) and api, and waits until it is ready. Its output goes to $api_log if set.
start_all_in_one_api() {
  local dll="$1"; shift
  api_port="$(free_port)"
  (cd "$(dirname "$dll")" && exec env Models__face__Path="$face_model" Models__object__Path="$object_model" \
    Models__object__Labels="$object_labels" Logging__LogLevel__Default=Warning "$@" \
    dotnet "$dll" --urls "http://127.0.0.1:$api_port" >"${api_log:-/dev/null}" 2>&1) &
  api_pid=$!; started "$api_pid"
  api="http://127.0.0.1:$api_port"
  for _ in $(seq 1 120); do curl -fs "$api/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
}

# start_enqueue_api LOG [NAME=VALUE...]: the enqueue-only API (needs ConnectionStrings__Redis in the environment or
# the arguments), rate limit and queue bound off; sets api_port,
# api_pid and api, and waits until it answers.
start_enqueue_api() {
  local log="$1"; shift
  api_port="$(free_port)"
  env Api__RateLimit__PermitsPerSecond=0 Api__MaxQueuedPerQueue=1000000 "$@" \
    dotnet "$(bin src/FaceObject.Api)" --urls "http://127.0.0.1:$api_port" >"$log" 2>&1 &
  api_pid=$!; started "$api_pid"
  api="http://127.0.0.1:$api_port"
  for _ in $(seq 1 120); do curl -sf "$api/livez" >/dev/null && break; sleep 0.5; done
}

# start_worker QUEUE LOG [NAME=VALUE...]: a worker process for one queue; sets worker_pid. Does not wait: see
# wait_warmed_up.
start_worker() {
  local queue="$1" log="$2"; shift 2
  # The model loader logs "warmed up" at Information, which wait_warmed_up looks for; the rest stays at Warning.
  env Logging__LogLevel__FaceObject.Processing.Models.ModelLoader=Information "$@" \
    dotnet "$(bin src/FaceObject.Worker)" --queues "$queue" >"$log" 2>&1 &
  worker_pid=$!; started "$worker_pid"
}

# wait_warmed_up LOG: until the worker writing LOG has loaded and warmed up its model (60 s at most).
wait_warmed_up() { for _ in $(seq 1 120); do grep -qs "warmed up" "$1" && break; sleep 0.5; done; }

# prefill MODEL COUNT IDS_FILE [FOLDER]: submits COUNT images (the JPEGs and PNGs of FOLDER, by default
# ../shared/testdata/images, in turn) to MODEL's queue through the API at $api, over one connection, and writes the
# task ids to IDS_FILE, one a line.
prefill() {
  python3 - "$api" "${4:-$shared/testdata/images}" "$1" "$2" "$3" <<'PY'
import http.client, os, sys, uuid, json, urllib.parse
base, folder, model, count, ids = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
images = [open(os.path.join(folder, f), "rb").read() for f in sorted(os.listdir(folder)) if f.endswith((".jpg", ".png"))]
url = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(url.hostname, url.port)
with open(ids, "w") as f:
    for i in range(count):
        b = uuid.uuid4().hex
        body = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"i\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode() + images[i % len(images)] + f"\r\n--{b}--\r\n".encode()
        c.request("POST", f"/api/detect/{model}/image", body, {"Content-Type": "multipart/form-data; boundary=" + b})
        r = c.getresponse(); task = json.loads(r.read())
        assert r.status == 202, task
        f.write(task["task_id"] + "\n")
PY
}

# start_rabbitmq DIR: a throw-away RabbitMQ broker (Debian's rabbitmq-server, no plugins) on 127.0.0.1 and free ports,
# with its own epmd, node name, Erlang cookie and data in DIR, as tests/FaceObject.Testing/RabbitMqServer.cs starts
# one; sets rabbitmq_port and rabbitmq_url and waits until it accepts connections (start-up takes tens of seconds on
# a loaded machine). Both run in their own process groups, which cleanup stops (so beam.smp and its helpers go too).
# rabbitmqctl ARGS... then talks to this broker.
start_rabbitmq() {
  local dir="$1" server epmd_port
  server="$(ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin 2>/dev/null | head -1 || true)"
  [[ -n "$server" ]] || { echo "rabbitmq-server is not installed (scripts/install-deps.sh --with-redis)" >&2; exit 1; }
  rabbitmq_sbin="$server"
  mkdir -p "$dir"
  echo "[]." >"$dir/enabled_plugins"
  epmd_port="$(free_port)"; rabbitmq_port="$(free_port)"
  rabbitmq_env=(HOME="$dir" RABBITMQ_NODENAME="faceobject-bench-$$@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    RABBITMQ_NODE_PORT="$rabbitmq_port" RABBITMQ_DIST_PORT="$(free_port)" ERL_EPMD_PORT="$epmd_port"
    ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log"
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config")
  (cd "$dir" && exec setsid env "${rabbitmq_env[@]}" epmd -port "$epmd_port" -address 127.0.0.1 >"$dir/epmd.log" 2>&1) &
  started_group "$!"
  sleep 0.3
  (cd "$dir" && exec setsid env "${rabbitmq_env[@]}" "$server/rabbitmq-server" >"$dir/rabbitmq.log" 2>&1) &
  started_group "$!"
  rabbitmq_url="amqp://guest:guest@127.0.0.1:$rabbitmq_port/"
  for _ in $(seq 1 240); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$rabbitmq_port" 2>/dev/null && return
    sleep 0.5
  done
  echo "rabbitmq-server did not start in 120 s; see $dir/rabbitmq.log" >&2
  exit 1
}
rabbitmqctl() { env "${rabbitmq_env[@]}" "$rabbitmq_sbin/rabbitmqctl" "$@"; }
