#!/bin/bash
# Container health probe: GET http://127.0.0.1:PORT/PATH and succeed on a 2xx answer.
#   healthcheck PORT [PATH]      (PATH defaults to /livez)
# The runtime images carry neither curl nor wget (fewer packages to patch); bash's /dev/tcp is enough for a
# local request. Kubernetes does not use this: its probes are declared in docker/k8s.
set -u
port="${1:?usage: healthcheck PORT [PATH]}"
path="${2:-/livez}"

if ! exec 3<>"/dev/tcp/127.0.0.1/${port}"; then
  echo "unhealthy: nothing listens on port ${port}" >&2
  exit 1
fi
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
status=""
IFS= read -r -t 5 status <&3 || true
exec 3<&- 3>&-
case "$status" in
  "HTTP/1."?" 2"*) exit 0 ;;
esac
echo "unhealthy: GET ${path} on port ${port} answered '${status%$'\r'}'" >&2
exit 1
