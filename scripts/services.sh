#!/usr/bin/env bash
# Private test servers on loopback: a PostgreSQL cluster and a Mosquitto broker, both owned by this
# checkout (state in .services/, ignored by git). Idempotent: `start` reuses what already runs.
#
#   scripts/services.sh start   # start both (if needed), then print the export lines
#   scripts/services.sh env     # print the export lines of the running servers
#   scripts/services.sh stop    # stop both
#
#   eval "$(scripts/services.sh start)"   # then dotnet test / the benchmark see them
#
# Exports: SMARTSEAL_TEST_POSTGRES (Npgsql connection string, trust auth on 127.0.0.1),
# SMARTSEAL_TEST_MOSQUITTO (host:port), SMARTSEAL_TEST_MOSQUITTO_DIR (its password and ACL files,
# which tests rewrite; mosquitto.pid there gets SIGHUP to reload them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
STATE="${SMARTSEAL_SERVICES_DIR:-$ROOT/.services}"
PG_DATA="$STATE/postgres"
MQ_DIR="$STATE/mosquitto"
PG_USER=smartseal

log() { echo "services: $*" >&2; }

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  log "PostgreSQL server binaries not found (scripts/setup.sh installs them)"; exit 1
}

# PostgreSQL refuses to run as root: run its tools as the postgres account then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! port_in_use "$port"; then echo "$port"; return; fi
  done
  log "no free port found"; exit 1
}

pid_alive() { [ -f "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

start_postgres() {
  local bin; bin="$(pg_bin)"
  mkdir -p "$STATE"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    rm -rf "$PG_DATA"; mkdir -p "$PG_DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DATA"
    as_pg "$bin/initdb" -D "$PG_DATA" -U "$PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 \
      || { cat "$STATE/initdb.log" >&2; exit 1; }
  fi
  if pid_alive "$PG_DATA/postmaster.pid"; then return; fi
  local port; port="$(free_port)"
  echo "$port" >"$STATE/postgres.port"
  # Loopback only, no unix socket (the default socket directory needs root); fsync off: test data.
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null \
    || { tail -n 30 "$PG_DATA/server.log" >&2; exit 1; }
  log "PostgreSQL on 127.0.0.1:$port ($PG_DATA)"
}

stop_postgres() {
  [ -f "$PG_DATA/PG_VERSION" ] || return 0
  if pid_alive "$PG_DATA/postmaster.pid"; then
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
    log "PostgreSQL stopped"
  fi
}

start_mosquitto() {
  command -v mosquitto >/dev/null || { log "mosquitto not found (scripts/setup.sh installs it)"; exit 1; }
  mkdir -p "$MQ_DIR"
  if pid_alive "$MQ_DIR/mosquitto.pid"; then return; fi
  local port; port="$(free_port)"
  echo "$port" >"$STATE/mosquitto.port"
  # Nobody may log in until the cloud's CLI writes accounts (`smartseal-cloud devices mosquitto-auth`).
  [ -f "$MQ_DIR/passwd" ] || : >"$MQ_DIR/passwd"
  [ -f "$MQ_DIR/acl" ] || : >"$MQ_DIR/acl"
  {
    echo "# written by scripts/services.sh: a private test broker on loopback"
    echo "per_listener_settings false"
    echo "allow_anonymous false"
    echo "password_file $MQ_DIR/passwd"
    echo "acl_file $MQ_DIR/acl"
    echo "persistence false"
    echo "max_queued_messages 100000"
    echo "max_inflight_messages 1000"
    # The shipped limits (cloud/mosquitto/limits.conf): its global lines here, its listener lines below.
    grep -v '^#' "$ROOT/cloud/mosquitto/limits.conf" | grep -v '^$'
    echo "pid_file $MQ_DIR/mosquitto.pid"
    echo "log_dest file $MQ_DIR/mosquitto.log"
    echo "log_type error"
    echo "log_type warning"
    # Root would drop to the 'mosquitto' account, which cannot read files the tests write.
    [ "$(id -u)" -eq 0 ] && echo "user root"
    echo "listener $port 127.0.0.1"
    sed -n 's/^#listener-option //p' "$ROOT/cloud/mosquitto/limits.conf"
    # (listener options: after the listener line, or Mosquitto opens a default one on 1883)
    # A device cannot take over another device's session by choosing its client id.
    echo "use_username_as_clientid true"
    # Without it Mosquitto's small sends wait for the peer's delayed ACK (~40 ms per hop).
    echo "set_tcp_nodelay true"
  } >"$MQ_DIR/mosquitto.conf"
  : >"$MQ_DIR/mosquitto.log"
  mosquitto -c "$MQ_DIR/mosquitto.conf" -d
  for _ in $(seq 1 50); do port_in_use "$port" && break; sleep 0.1; done
  port_in_use "$port" || { cat "$MQ_DIR/mosquitto.log" >&2; log "mosquitto did not start"; exit 1; }
  log "Mosquitto on 127.0.0.1:$port ($MQ_DIR)"
}

stop_mosquitto() {
  if pid_alive "$MQ_DIR/mosquitto.pid"; then
    local pid; pid="$(head -n1 "$MQ_DIR/mosquitto.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "Mosquitto stopped"
  fi
  rm -f "$MQ_DIR/mosquitto.pid"
}

print_env() {
  if pid_alive "$PG_DATA/postmaster.pid"; then
    echo "export SMARTSEAL_TEST_POSTGRES='Host=127.0.0.1;Port=$(cat "$STATE/postgres.port");Username=$PG_USER;Database=postgres'"
  fi
  if pid_alive "$MQ_DIR/mosquitto.pid"; then
    echo "export SMARTSEAL_TEST_MOSQUITTO='127.0.0.1:$(cat "$STATE/mosquitto.port")'"
    echo "export SMARTSEAL_TEST_MOSQUITTO_DIR='$MQ_DIR'"
  fi
}

case "${1:-}" in
  start) start_postgres; start_mosquitto; print_env ;;
  stop) stop_mosquitto; stop_postgres ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
