#!/usr/bin/env bash
# Checks the deployment files as far as a machine without a Docker engine or a Kubernetes cluster can:
#   1. Dockerfiles: structure, build context (.dockerignore), restore-layer project list     (scripts/check_deploy.py)
#   2. Compose: `docker-compose config` on both files, required secrets, scaling rules        (Debian's docker-compose)
#   3. Kubernetes: every manifest parses, the kustomize overlays build, KEDA list names match
#      Hangfire's keys, grace periods exceed the worker shutdown timeout                       (kubectl kustomize if present)
#   4. Monitoring: metric names, promtool check + unit tests of the alert rules, amtool check-config (Debian's prometheus, prometheus-alertmanager)
#   5. The Dockerfiles' `dotnet publish` steps, run outside Docker on the same build context and flags (docker/publish.sh),
#      and what they produce (DLLs, native libraries, the packages those link)
#   6. A smoke run of the published API and worker as the images run them (working directory = app folder,
#      models in ./models) on a real redis-server: jobs land in the Redis lists KEDA watches, a worker serves only
#      its queue, and stops cleanly on SIGTERM.
# Installs what it lacks (docker-compose, python3-yaml, prometheus for promtool, binutils, redis-server) with apt.
# Idempotent: everything it builds goes to a temporary folder, removed at the end (kept when a step failed or
# FACEOBJECT_CHECK_KEEP=1, with each step's full log).
#
#   scripts/check-deploy.sh            everything (a few minutes: two publishes)
#   scripts/check-deploy.sh --static   steps 1-4 only (seconds)
# Ends with "check-deploy: N passed, N failed, N skipped" and exits non-zero when anything failed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

static_only=false
[[ "${1:-}" == "--static" ]] && static_only=true

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
py=/usr/bin/python3   # Debian's, where python3-yaml installs
work="$(mktemp -d "${TMPDIR:-/tmp}/faceobject-check-deploy.XXXXXX")"
pids=()
passed=0
failed=0
skipped=0

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ $failed -eq 0 && -z "${FACEOBJECT_CHECK_KEEP:-}" ]]; then
    rm -rf "$work"
  else
    echo "check-deploy: work folder kept: $work"
  fi
}
trap cleanup EXIT

# step NAME COMMAND...: runs COMMAND in a subshell with errexit (an `if` around it would switch errexit off),
# and fails when it exits non-zero or prints a "FAIL:" line; then shows those lines, or its last lines.
step() {
  local name="$1"
  shift
  local log="$work/step-$((passed + failed + skipped + 1)).log"
  local rc
  set +e
  (set -e; "$@") >"$log" 2>&1
  rc=$?
  set -e
  if [[ $rc -eq 0 ]] && ! grep -q '^FAIL:' "$log"; then
    passed=$((passed + 1))
    echo "PASS  $name ($(grep -c '^ok:' "$log" || true) checks)"
    grep '^note:' "$log" | sed 's/^/      /' || true
  else
    failed=$((failed + 1))
    echo "FAIL  $name"
    if grep -q '^FAIL:' "$log"; then
      grep '^FAIL:' "$log" | sed 's/^/      /'
    elif grep -qE ': error [A-Z]+[0-9]+' "$log"; then
      grep -oE '[^ /]+(\([0-9,]+\))?: error [A-Z]+[0-9]+: [^[]*' "$log" | sort -u | head -n 12 | sed 's/^/      /'
    else
      tail -n 25 "$log" | sed 's/^/      /'
    fi
  fi
}

skip() {
  skipped=$((skipped + 1))
  echo "SKIP  $1: $2"
}

ensure_packages() {
  local missing=()
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  "$py" -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
  command -v readelf >/dev/null 2>&1 || missing+=(binutils)
  if ! $static_only; then
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
  fi
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  echo "check-deploy: installing ${missing[*]}"
  $sudo apt-get update -qq
  # prometheus is only wanted for promtool: no recommends, and no service is started where there is no init.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------- 1. Dockerfiles
check_dockerfiles() {
  "$py" scripts/check_deploy.py dockerfiles "$root"
  for sh in docker/publish.sh docker/healthcheck.sh; do
    if bash -n "$sh" && [[ -x "$sh" ]]; then
      echo "ok: $sh is an executable bash script"
    else
      echo "FAIL: $sh is not an executable bash script"
    fi
  done
}

# ---------------------------------------------------------------- 2. Compose
check_compose() {
  mkdir -p "$work/models"
  # Distinct values, so the semantic check can tell they came from the environment.
  cat >"$work/check.env" <<EOF
REDIS_PASSWORD=checkRedisPassword1
FACEOBJECT_DASHBOARD_USER=checkuser
FACEOBJECT_DASHBOARD_PASSWORD=checkDashboardPassword1
GRAFANA_ADMIN_PASSWORD=checkGrafanaPassword1
FACEOBJECT_MODELS_DIR=$work/models
EOF
  : >"$work/empty.env"
  local file rc
  for file in docker-compose.yml docker-compose.scalable.yml; do
    # As an operator would run it: the documented example settings.
    docker-compose --env-file .env.example -f "$file" config -q
    echo "ok: docker-compose -f $file config -q (with .env.example)"
    docker-compose --env-file .env.example -f "$file" --profile gpu --profile monitoring config -q
    echo "ok: docker-compose -f $file config -q with the gpu and monitoring profiles"
    # The secrets are mandatory: without them the file must refuse to render.
    rc=0
    docker-compose --env-file "$work/empty.env" -f "$file" config -q >"$work/empty.out" 2>&1 || rc=$?
    if [[ $rc -ne 0 ]] && grep -q REDIS_PASSWORD "$work/empty.out"; then
      echo "ok: $file refuses to start without REDIS_PASSWORD"
    else
      echo "FAIL: $file renders without REDIS_PASSWORD (rc=$rc)"
    fi
  done
  docker-compose --env-file "$work/check.env" -f docker-compose.yml config >"$work/compose-small.yml"
  docker-compose --env-file "$work/check.env" -f docker-compose.scalable.yml --profile gpu --profile monitoring \
    config >"$work/compose-scalable.yml"
  (set -a && . "$work/check.env" && "$py" scripts/check_deploy.py compose "$root" "$work/compose-small.yml" "$work/compose-scalable.yml")
}

# ---------------------------------------------------------------- 3. Kubernetes
# An overlay with the ingest components, as an operator adds them: a kustomization beside the overlays naming the
# overlay and the components (in production also deleting the API's HPA, which the component's ScaledObject replaces).
render_with_ingest() {
  local name="$1" dir
  dir="$(mktemp -d "$root/docker/k8s/overlays/.ingest-XXXXXX")"
  {
    printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../%s\n' "$name"
    printf 'components:\n  - ../../components/ingest-scaling\n  - ../../components/ingest-rabbitmq\n'
    if [[ "$name" == production ]]; then
      printf 'patches:\n  - patch: |-\n      $patch: delete\n      apiVersion: autoscaling/v2\n      kind: HorizontalPodAutoscaler\n      metadata:\n        name: api\n        namespace: faceobject\n'
    fi
  } >"$dir/kustomization.yaml"
  local status=0
  "${kustomize[@]}" "$dir" || status=$?
  rm -rf "$dir"
  return "$status"
}

check_k8s() {
  local rendered=() overlay name
  local kustomize=()
  if command -v kubectl >/dev/null 2>&1; then
    kustomize=(kubectl kustomize)
  elif command -v kustomize >/dev/null 2>&1; then
    kustomize=(kustomize build)
  fi
  if [[ ${#kustomize[@]} -gt 0 ]]; then
    for overlay in docker/k8s/base docker/k8s/overlays/*/; do
      name="$(basename "$overlay")"
      "${kustomize[@]}" "$overlay" >"$work/k8s-$name.yaml"
      echo "ok: ${kustomize[*]} $overlay ($(grep -c '^kind:' "$work/k8s-$name.yaml") resources)"
      if [[ "$name" != base ]]; then
        rendered+=("$name=$work/k8s-$name.yaml")
        render_with_ingest "$name" >"$work/k8s-$name+ingest.yaml"
        echo "ok: ${kustomize[*]} $overlay with components/ingest-scaling and ingest-rabbitmq"
        rendered+=("$name+ingest=$work/k8s-$name+ingest.yaml")
      fi
    done
  else
    echo "note: neither kubectl nor kustomize is installed: overlays not built, base manifests checked alone"
  fi
  "$py" scripts/check_deploy.py k8s "$root" "${rendered[@]}"
  if bash -n scripts/manage-scaling.sh && [[ -x scripts/manage-scaling.sh ]]; then
    echo "ok: scripts/manage-scaling.sh is an executable bash script"
  else
    echo "FAIL: scripts/manage-scaling.sh is not an executable bash script"
  fi
  if command -v shellcheck >/dev/null 2>&1; then
    shellcheck scripts/manage-scaling.sh && echo "ok: shellcheck scripts/manage-scaling.sh" || echo "FAIL: shellcheck scripts/manage-scaling.sh"
  else
    echo "note: shellcheck is not installed: scripts/manage-scaling.sh checked with bash -n only"
  fi
  echo "note: not checked against a cluster's API schemas (kubectl apply --dry-run needs an API server)"
}

# ---------------------------------------------------------------- 4. Monitoring
check_monitoring() {
  "$py" scripts/check_deploy.py monitoring "$root"
  (cd docs/monitoring && promtool check rules prometheus-alerts.yml && promtool test rules prometheus-alerts.test.yml)
  echo "ok: promtool check rules and test rules"
  promtool check config --syntax-only docs/monitoring/prometheus.yml
  echo "ok: promtool check config docs/monitoring/prometheus.yml"
  amtool check-config docs/monitoring/alertmanager.yml
  echo "ok: amtool check-config docs/monitoring/alertmanager.yml"
  "$py" -c 'import json,sys; json.load(open(sys.argv[1]))' docs/monitoring/grafana-dashboard.json
  echo "ok: grafana-dashboard.json is JSON"
}

# ---------------------------------------------------------------- 5. Publish as the Dockerfiles do
publish_as_image() {
  local kind="$1" dockerfile="$2"
  export OUT="$work/publish/$kind"
  "$py" scripts/check_deploy.py publish-commands "$dockerfile" >"$work/publish-$kind.sh"
  echo "note: $(tr '\n' ';' <"$work/publish-$kind.sh" | sed 's/;$//; s/;/; /g')"
  (cd "$work/context" && bash -euo pipefail "$work/publish-$kind.sh")
  "$py" scripts/check_deploy.py publish-output "$kind" "$OUT" "$root"
}

# ---------------------------------------------------------------- 6. Smoke run of the published apps
free_port() {
  "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {  # wait_for SECONDS COMMAND...
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [[ $SECONDS -ge $deadline ]] && return 1
    sleep 0.5
  done
}

submit() {  # submit MODEL IMAGE -> task id
  curl -fsS -F "file=@$2" "http://127.0.0.1:$api_port/api/detect/$1/image" \
    | "$py" -c 'import json,sys; print(json.load(sys.stdin)["task_id"])'
}

smoke_run() {
  local images="${FACEOBJECT_SHARED:-$root/../shared}/testdata/images"
  local redis_port api_port worker_port redis_pid api_pid worker_pid rc list
  # This runs in step's subshell: stop what it starts when it ends, however it ends.
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
  redis_port="$(free_port)"
  api_port="$(free_port)"
  worker_port="$(free_port)"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
  wait_for 10 redis-cli -p "$redis_port" ping
  local redis="127.0.0.1:$redis_port"

  # The API as the image runs it: from its folder, enqueue only, without any native inference library.
  (cd "$work/publish/api" && exec env ConnectionStrings__Redis="$redis" \
    ASPNETCORE_HTTP_PORTS="$api_port" Dashboard__Username=check Dashboard__Password=check \
    dotnet FaceObject.Api.dll) >"$work/api.log" 2>&1 &
  api_pid=$!
  pids+=("$api_pid")
  if wait_for 60 docker/healthcheck.sh "$api_port" /livez; then
    echo "ok: the published API (enqueue only, no inference libraries) starts; docker/healthcheck.sh $api_port /livez passes"
  else
    echo "FAIL: the published API did not answer /livez within 60 s"; tail -n 20 "$work/api.log"; return 1
  fi
  if docker/healthcheck.sh "$api_port" /readyz; then
    echo "ok: docker/healthcheck.sh $api_port /readyz passes"
  else
    echo "FAIL: /readyz of the published API does not pass"
  fi
  if docker/healthcheck.sh "$worker_port" /livez 2>/dev/null; then
    echo "FAIL: docker/healthcheck.sh succeeds on a closed port"
  else
    echo "ok: docker/healthcheck.sh fails on a closed port"
  fi

  local face_task object_task
  face_task="$(submit face "$images/faces_1.jpg")"
  object_task="$(submit object "$images/dog.jpg")"
  echo "ok: enqueued face task $face_task and object task $object_task"
  # The lists KEDA's ScaledObjects watch, taken from the manifests, must be where the jobs really are.
  for list in $("$py" - "$root/docker/k8s/base/keda.yaml" <<'EOF'
import sys, yaml
for doc in yaml.safe_load_all(open(sys.argv[1])):
    if doc and doc.get("kind") == "ScaledObject":
        for t in doc["spec"]["triggers"]:
            if t.get("name") == "waiting":
                print(t["metadata"]["listName"])
EOF
  ); do
    if [[ "$(redis-cli -p "$redis_port" TYPE "$list")" == list && "$(redis-cli -p "$redis_port" LLEN "$list")" -ge 1 ]]; then
      echo "ok: Redis list '$list' (a KEDA listName) holds the enqueued job"
    else
      echo "FAIL: Redis has no list '$list' with a job; Hangfire's queue keys are:"
      redis-cli -p "$redis_port" --scan --pattern '*queue*' | sed 's/^/      /'
    fi
  done

  # One object worker as the image runs it: from its folder, the models in ./models (the volume's place).
  FACEOBJECT_MODELS_DIR="$work/publish/worker/models" scripts/fetch-models.sh >/dev/null
  (cd "$work/publish/worker" && exec env ConnectionStrings__Redis="$redis" Worker__QueueList=object \
    Worker__WorkerCount=1 Worker__MetricsPort="$worker_port" Worker__ShutdownTimeout=00:00:30 \
    dotnet FaceObject.Worker.dll) >"$work/worker.log" 2>&1 &
  worker_pid=$!
  pids+=("$worker_pid")
  local status=""
  local deadline=$((SECONDS + 90))
  while [[ $SECONDS -lt $deadline ]]; do
    status="$(curl -fsS "http://127.0.0.1:$api_port/api/task/$object_task?wait=5s" \
      | "$py" -c 'import json,sys; print(json.load(sys.stdin)["status"])' || true)"
    [[ "$status" == completed || "$status" == failed ]] && break
    kill -0 "$worker_pid" 2>/dev/null || break
  done
  if [[ "$status" == completed ]]; then
    echo "ok: the published worker (models from ./models) completed the object task"
  else
    echo "FAIL: the object task ended '$status'; worker log:"; tail -n 20 "$work/worker.log"
  fi
  if [[ "$(redis-cli -p "$redis_port" LLEN '{hangfire}:queue:face')" -ge 1 ]]; then
    echo "ok: the object worker left the face queue alone"
  else
    echo "FAIL: the face job left its queue though only an object worker runs"
  fi
  if grep -rqs 'MetricsPort' src/; then
    if docker/healthcheck.sh "$worker_port" /livez; then
      echo "ok: the worker answers /livez on Worker__MetricsPort ($worker_port), as the images' health checks expect"
    else
      echo "FAIL: the worker does not answer /livez on Worker__MetricsPort ($worker_port)"
    fi
  else
    echo "note: Worker:MetricsPort is not implemented in src/ yet: the worker health check (port 9091) is untested"
  fi

  # docker stop / Kubernetes scale-down: SIGTERM, then the process must end by itself within the grace period.
  kill -TERM "$worker_pid"
  rc=0
  local stopped=false
  for _ in $(seq 1 80); do
    if ! kill -0 "$worker_pid" 2>/dev/null; then stopped=true; break; fi
    sleep 0.5
  done
  if $stopped; then
    wait "$worker_pid" || rc=$?
    if [[ $rc -eq 0 ]]; then
      echo "ok: the worker stops on SIGTERM with exit code 0 within 40 s"
    else
      echo "FAIL: the worker exited with code $rc on SIGTERM"
    fi
  else
    echo "FAIL: the worker was still running 40 s after SIGTERM"
  fi
  kill -TERM "$api_pid" 2>/dev/null || true
  wait "$api_pid" 2>/dev/null || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------- run
ensure_packages

step "Dockerfiles and build context" check_dockerfiles
step "docker-compose config (docker-compose.yml, docker-compose.scalable.yml)" check_compose
step "Kubernetes manifests, kustomize overlays, KEDA list names" check_k8s
step "Grafana dashboard, Prometheus alerts (promtool), Alertmanager routes (amtool)" check_monitoring

if $static_only; then
  skip "publish and smoke run" "--static"
else
  step "Docker build context as .dockerignore filters it" "$py" scripts/check_deploy.py context "$root" "$work/context"
  step "dotnet publish as docker/api.Dockerfile does" publish_as_image api docker/api.Dockerfile
  step "dotnet publish as docker/worker.Dockerfile does" publish_as_image worker docker/worker.Dockerfile
  step "dotnet publish as docker/worker-gpu.Dockerfile does" publish_as_image worker-gpu docker/worker-gpu.Dockerfile
  if [[ -f "$work/publish/api/FaceObject.Api.dll" && -f "$work/publish/worker/FaceObject.Worker.dll" ]]; then
    "$root/scripts/install-deps.sh" --with-redis
    step "smoke run of the published API and worker on redis-server" smoke_run
  else
    skip "smoke run" "a publish step failed"
  fi
fi

echo "not checked here: building and running the images (no Docker engine), applying to a cluster (no API server),"
echo "  KEDA and GPU scheduling, the GPU image's CUDA provider on a GPU (none here; its library majors are checked)."
echo "check-deploy: ${passed} passed, ${failed} failed, ${skipped} skipped"
[[ $failed -eq 0 ]]
