#!/bin/sh
# Entrypoint of the Docker Compose demo (docker-compose.yml at the repo root): one Shoal node per
# container.
#
#   entrypoint.sh manager|worker [shoal daemon flags: --data-dir --listen-addr --advertise-addr ...]
#
# manager: runs the node with the dashboard (apps/web/server.ts, same flags as `shoal daemon`);
#          on its first start creates the swarm and its admin (SHOAL_ADMIN_USER,
#          SHOAL_ADMIN_PASSWORD); on every start writes the worker join token to
#          $SHOAL_JOIN_DIR/worker-token (a volume shared with the workers).
# worker:  runs `shoal daemon`, waits for that token and joins the manager at $SHOAL_MANAGER_ADDR.
# A node whose data volume says it is in a swarm already resumes: no init, no join.
# The CLI talks to the node in this container: SHOAL_HOST, default http://127.0.0.1:8080.
# SHOAL_APP_DIR: the checkout (default /app, where apps/cli/Dockerfile puts it).
set -eu

role="${1:-}"
if [ "$role" != manager ] && [ "$role" != worker ]; then
  echo "usage: entrypoint.sh manager|worker [shoal daemon flags...]" >&2
  exit 2
fi
shift

app="${SHOAL_APP_DIR:-/app}"
cd "$app"
host="${SHOAL_HOST:-http://127.0.0.1:8080}"
join_dir="${SHOAL_JOIN_DIR:-/join}"
token_file="$join_dir/worker-token"

shoal() {
  node --import tsx "$app"/apps/cli/src/main.ts -H "$host" "$@"
}

# The node's swarm state from GET /healthz ("active" or "inactive"); fails while it is not up.
swarm_state() {
  node -e 'fetch(process.argv[1]).then((r) => r.json()).then((b) => console.log(b.swarm), () => process.exit(1))' \
    "$host/healthz"
}

if [ "$role" = manager ]; then
  # A token left by an earlier run must not be taken for this run's.
  mkdir -p "$join_dir"
  rm -f "$token_file"
  node --import tsx "$app"/apps/web/server.ts "$@" &
else
  node --import tsx "$app"/apps/cli/src/main.ts daemon "$@" &
fi
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' TERM INT

# Stop the node and exit with an error.
fail() {
  echo "entrypoint: $*" >&2
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || true
  exit 1
}

# Wait for the node's API.
until state=$(swarm_state 2>/dev/null); do
  kill -0 "$pid" 2>/dev/null || fail "the node exited before its API answered"
  sleep 1
done

if [ "$role" = manager ]; then
  if [ "$state" != active ]; then
    shoal swarm init --admin-user "${SHOAL_ADMIN_USER:-admin}" \
      --admin-password "${SHOAL_ADMIN_PASSWORD:?set SHOAL_ADMIN_PASSWORD}" || fail "swarm init failed"
  fi
  # The API token stored by init (SHOAL_CONFIG on the data volume) may be gone: log in again then.
  # Right after a restart the manager may still be electing itself: retry for a while.
  tries=0
  until token=$(shoal swarm join-token -q worker 2>/dev/null); do
    tries=$((tries + 1))
    [ "$tries" -le 60 ] || fail "could not read the worker join token"
    shoal login -u "${SHOAL_ADMIN_USER:-admin}" -p "${SHOAL_ADMIN_PASSWORD:?set SHOAL_ADMIN_PASSWORD}" \
      >/dev/null 2>&1 || true
    sleep 1
  done
  printf '%s\n' "$token" >"$token_file.tmp"
  mv "$token_file.tmp" "$token_file"
  echo "entrypoint: worker join token written to $token_file"
elif [ "$state" != active ]; then
  echo "entrypoint: waiting for the manager's join token in $token_file"
  until [ -s "$token_file" ]; do
    kill -0 "$pid" 2>/dev/null || fail "the node exited while waiting for the join token"
    sleep 1
  done
  tries=0
  until shoal swarm join --token "$(cat "$token_file")" "${SHOAL_MANAGER_ADDR:?set SHOAL_MANAGER_ADDR}"; do
    tries=$((tries + 1))
    [ "$tries" -le 30 ] || fail "could not join the swarm at $SHOAL_MANAGER_ADDR"
    sleep 2
  done
fi

# Run until the node exits; a SIGTERM (docker stop) is passed on by the trap and the node stops
# cleanly, so wait again for its exit status.
status=0
while kill -0 "$pid" 2>/dev/null; do
  if wait "$pid"; then status=0; else status=$?; fi
done
exit "$status"
