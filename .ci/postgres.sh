#!/usr/bin/env bash
# Sourced by .ci/run: installs PostgreSQL from Debian's packages if needed,
# starts a throwaway server on 127.0.0.1 with a temporary data directory as
# the unprivileged "postgres" user, exports TEST_POSTGRES_DSN for the
# sink integration tests (examples/sinks), and stops it on exit (trap).
pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v pg_ctl >/dev/null && dirname "$(command -v pg_ctl)" && return 0
  return 1
}

start_postgres() {
  local bin
  if ! bin="$(pg_bin)"; then
    echo "   installing postgresql (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    bin="$(pg_bin)" || { echo "postgresql install failed"; return 1; }
  fi
  local user=postgres
  id "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user"
  PG_DATA="$(mktemp -d /tmp/fnguard-pg.XXXXXX)"
  chown "$user" "$PG_DATA"
  local port=${TEST_POSTGRES_PORT:-54329}
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }
  as_pg "$bin/initdb" -D "$PG_DATA/data" -U postgres -A trust --no-sync >/dev/null
  as_pg "$bin/pg_ctl" -D "$PG_DATA/data" -l "$PG_DATA/log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $PG_DATA -F" start >/dev/null
  PG_STOP="as_pg $bin/pg_ctl -D $PG_DATA/data -m fast -w stop"
  trap 'stop_postgres' EXIT
  export TEST_POSTGRES_DSN="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  echo "   postgres $("$bin/pg_ctl" --version | awk '{print $NF}') on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${PG_DATA:-}" ]; then
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PG_DATA/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DATA"
    PG_DATA=
  fi
}
