#!/usr/bin/env bash
# One worker for the face queue (UltraFace), against ConnectionStrings__Redis (default localhost:6379).
# Run it N times to scale the face pool; extra arguments pass through, e.g. --Worker:WorkerCount=1.
exec "$(dirname "${BASH_SOURCE[0]}")/scripts/worker.sh" face "$@"
