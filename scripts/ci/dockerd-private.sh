#!/usr/bin/env bash
# Starts (or stops) a private Docker Engine for the tests, under $SHOAL_DOCKER_ROOT.
#   dockerd-private.sh start   -> prints the DOCKER_HOST to use; reuses an engine already answering there
#   dockerd-private.sh stop    -> stops only the engine this script started (by its pid file)
set -euo pipefail
root="${SHOAL_DOCKER_ROOT:-/tmp/shoal-docker}"
sock="unix://$root/docker.sock"
case "${1:-}" in
  start)
    mkdir -p "$root"
    if DOCKER_HOST="$sock" docker version >/dev/null 2>&1; then
      echo "$sock"; exit 0
    fi
    if ! command -v dockerd >/dev/null; then
      echo "dockerd is not installed (apt-get install -y docker.io)" >&2; exit 1
    fi
    dockerd --data-root "$root/data" --exec-root "$root/exec" -H "$sock" --pidfile "$root/pid" \
      >"$root/dockerd.log" 2>&1 &
    echo "$!" > "$root/started-by-ci"
    for _ in $(seq 1 60); do
      if DOCKER_HOST="$sock" docker version >/dev/null 2>&1; then echo "$sock"; exit 0; fi
      sleep 0.5
    done
    echo "dockerd did not answer on $sock within 30 s; its log:" >&2
    tail -n 30 "$root/dockerd.log" >&2
    exit 1
    ;;
  stop)
    [ -f "$root/started-by-ci" ] || exit 0
    pid=$(cat "$root/started-by-ci")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$root/started-by-ci"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
