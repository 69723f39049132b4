#!/usr/bin/env bash
# One worker for the object queue (YOLOX), against ConnectionStrings__Redis (default localhost:6379).
# Run it N times to scale the object pool; extra arguments pass through, e.g. --Worker:WorkerCount=1.
exec "$(dirname "${BASH_SOURCE[0]}")/scripts/worker.sh" object "$@"
