#!/usr/bin/env bash
# Switches and watches the worker pools' KEDA autoscaling on Kubernetes (docker/k8s; docs/operations.md, Autoscaling).
#   scripts/manage-scaling.sh enable development|production|testing   apply that overlay's profile
#   scripts/manage-scaling.sh status                                  each pool's ScaledObject, HPA and pods
#   scripts/manage-scaling.sh monitor [seconds]                       status again every few seconds (default 10)
#   scripts/manage-scaling.sh scale N                                 hold every pool at N pods (min = max = N)
# Profiles (seed 000): development 1-5 pods, 3 waiting tasks/pod, 75% memory, 60% CPU; production 2-12, 2/pod,
# 70%/50%; testing 1-3, 5/pod, 80%/70%. "enable" also ends a "scale N" hold.
# NAMESPACE (default faceobject) and kubectl's usual context apply; the faceobject-scaling ServiceAccount
# (docker/k8s/base/rbac.yaml) has exactly the rights this needs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
namespace="${NAMESPACE:-faceobject}"
pools=(face-worker object-worker)

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

status() {
  kubectl -n "$namespace" get scaledobject "${pools[@]}" \
    -o custom-columns='POOL:.metadata.name,MIN:.spec.minReplicaCount,MAX:.spec.maxReplicaCount,PER-POD:.spec.triggers[0].metadata.listLength,MEMORY%:.spec.triggers[2].metadata.value,CPU%:.spec.triggers[3].metadata.value,READY:.status.conditions[0].status,ACTIVE:.status.conditions[1].status'
  # The API's ScaledObject on the ingest backlog, when docker/k8s/components/ingest-scaling is in the overlay.
  kubectl -n "$namespace" get scaledobject api-ingest --ignore-not-found \
    -o custom-columns='API:.metadata.name,MIN:.spec.minReplicaCount,MAX:.spec.maxReplicaCount,LAG-PER-POD:.spec.triggers[0].metadata.lagCount,READY:.status.conditions[0].status,ACTIVE:.status.conditions[1].status'
  kubectl -n "$namespace" get hpa -l app.kubernetes.io/part-of=faceobject 2>/dev/null || true
  for pool in "${pools[@]}"; do
    kubectl -n "$namespace" get deployment "$pool" -o jsonpath='{.metadata.name}: {.status.readyReplicas}/{.spec.replicas} pods ready{"\n"}'
  done
}

case "${1:-}" in
  enable)
    profile="${2:-}"
    [[ -f "docker/k8s/overlays/$profile/kustomization.yaml" ]] || { echo "manage-scaling: unknown profile '$profile'; use development, production or testing" >&2; exit 2; }
    kubectl apply -k "docker/k8s/overlays/$profile"
    status
    ;;
  status)
    status
    ;;
  monitor)
    interval="${2:-10}"
    [[ "$interval" =~ ^[0-9]+$ && "$interval" -gt 0 ]] || { echo "manage-scaling: monitor takes a whole number of seconds, got '$interval'" >&2; exit 2; }
    while true; do
      date -u '+%H:%M:%S UTC'
      status
      echo
      sleep "$interval"
    done
    ;;
  scale)
    count="${2:-}"
    [[ "$count" =~ ^[0-9]+$ && "$count" -ge 1 ]] || { echo "manage-scaling: scale takes a pod count of 1 or more, got '$count'" >&2; exit 2; }
    # KEDA owns the replica count: pin its range rather than scaling the Deployment, which KEDA would undo.
    for pool in "${pools[@]}"; do
      kubectl -n "$namespace" patch scaledobject "$pool" --type merge -p "{\"spec\":{\"minReplicaCount\":$count,\"maxReplicaCount\":$count}}"
    done
    status
    ;;
  *)
    usage
    ;;
esac
