# Start and stop a throwaway PostgreSQL 15 and Redis on free loopback ports.
# Source this file, then: start_services; trap stop_services EXIT.
# Exports DATABASE_URL and REDIS_URL, plus PG_DATA/PG_PORT/REDIS_PORT for fault tests.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_services() {
  SERVICES_DIR="$(mktemp -d /tmp/prevent-cms-services.XXXXXX)"
  export SERVICES_DIR
  export PG_DATA="$SERVICES_DIR/pg"
  export PG_PORT="$(free_port)"
  mkdir -p "$PG_DATA"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$SERVICES_DIR"
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres --no-sync >/dev/null
  export PG_OPTIONS="-h 127.0.0.1 -p $PG_PORT -k $SERVICES_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "$PG_OPTIONS" -l "$SERVICES_DIR/pg.log" -w start >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

  export REDIS_PORT="$(free_port)"
  export REDIS_PIDFILE="$SERVICES_DIR/redis.pid"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --pidfile "$REDIS_PIDFILE" --dir "$SERVICES_DIR" --logfile "$SERVICES_DIR/redis.log"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  echo "==> PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"
}

stop_services() {
  [ -n "${SERVICES_DIR:-}" ] || return 0
  stop_replica
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$SERVICES_DIR"
}

# For the rest of the calling script: both started, stopped whatever happens, and Django
# pointed at them with the test settings (make test, make api-check).
with_test_services() {
  trap stop_services EXIT INT TERM
  start_services
  export DJANGO_SETTINGS_MODULE=prevent_cms.settings.test
  export DJANGO_ALLOW_ASYNC_UNSAFE=true
}

# Optional, after start_services: a streaming-replication hot standby of that PostgreSQL on
# another free loopback port (pg_basebackup -R), for the read-replica tests (issue 20).
# initdb -A trust already lets 127.0.0.1 connect for replication, and PostgreSQL 15's defaults
# (wal_level=replica, max_wal_senders=10) allow it. Exports REPLICA_PORT, REPLICA_DATA and
# DATABASE_REPLICA_URL; stop_replica (or stop_services) stops it. Needs PG_PORT, SERVICES_DIR.
start_replica() {
  export REPLICA_DATA="$SERVICES_DIR/pg-replica"
  export REPLICA_PORT="$(free_port)"
  as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$REPLICA_DATA" \
    -R -X stream -c fast --no-sync
  run_replica
  export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"
  echo "==> PostgreSQL hot standby on 127.0.0.1:$REPLICA_PORT"
}

# Start the standby start_replica made (again, after stop_replica: the fallback tests).
# max_connections as the primary's: a standby refuses to run with fewer.
run_replica() {
  as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -l "$SERVICES_DIR/pg-replica.log" -w \
    -o "-h 127.0.0.1 -p $REPLICA_PORT -k $SERVICES_DIR -c fsync=off -c max_connections=200" \
    start >/dev/null
}

stop_replica() {
  [ -n "${REPLICA_DATA:-}" ] && [ -d "$REPLICA_DATA" ] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -m immediate stop >/dev/null 2>&1 || true
}
